"""Content packages (SCORM 1.2, SCORM 2004, H5P): checked on upload (hostile archives are
refused with a Vietnamese reason and leave nothing behind), served sandboxed
from their own path, and their runtime's reports counted toward the lesson
and the course, after checking them as hostile input."""

import io
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.completion import CompletionFacts, CompletionRule, course_is_complete
from courses.models import (
    ContentPackage,
    CourseCompletion,
    CoursePage,
    LessonPage,
    LessonProgress,
    PackageAttempt,
    PackageKind,
)
from courses.package_archive import PackageRefused
from courses.package_services import package_create, package_folder
from courses.selectors import completion_facts_get
from courses.services import enrolment_create

from ..page_state_helpers import page_state
from .package_helpers import (
    hostile_packages,
    package_from_folder,
    put_package_in_lesson,
    scorm12,
    zip_folder,
)

pytestmark = pytest.mark.django_db
ADD = "wagtailsnippets_courses_contentpackage:add"
HOSTILE = hostile_packages()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        username="bientap", password="x", phone="+84900000999"
    )
    client.force_login(admin)
    return client


def _upload(client, data: bytes, *, name: str = "goi.zip"):
    return client.post(
        reverse(ADD),
        {"title": "Mật khẩu an toàn", "archive": SimpleUploadedFile(name, data)},
    )


def _files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir())


# --- Upload ---------------------------------------------------------------------


def test_editor_uploads_a_scorm_package_and_its_files_are_unpacked(editor, media_root):
    response = _upload(editor, scorm12())
    assert response.status_code == 302
    package = ContentPackage.objects.get()
    assert package.launch == "bai/index.html"
    assert package.file_count == 4
    folder = package_folder(package.uuid)
    assert (folder / "bai" / "bai.js").read_text().startswith("// A one-question")
    assert package.archive.name.startswith("package_originals/")
    # Nothing but the package's folder and its zip.
    leftovers = [
        name
        for name in os.listdir(media_root / "packages")
        if name != str(package.uuid)
    ]
    assert leftovers == []


def test_editor_uploads_an_h5p_file_and_it_plays_from_the_player_page(
    editor, media_root
):
    response = _upload(editor, zip_folder("h5p"), name="mat-khau.h5p")
    assert response.status_code == 302
    package = ContentPackage.objects.get()
    assert (package.kind, package.launch, package.file_count) == (
        PackageKind.H5P,
        "",
        5,
    )
    assert package.launch_url == f"/goi-noi-dung/{package.uuid}/"
    library = package_folder(package.uuid) / "H5P.HocvusoCauHoi-1.0" / "cau-hoi.js"
    assert library.read_text().startswith("// A one-question H5P")


def test_scorm_2004_package_is_taken_with_its_own_runtime(editor, client):
    _upload(editor, zip_folder("scorm2004"))
    package = ContentPackage.objects.get()
    assert (package.kind, package.launch) == (PackageKind.SCORM_2004, "index.html")
    html = client.get(package.launch_url).content.decode()
    assert '<script src="/static/courses/scorm2004_api.js">' in html
    assert "scorm_api.js" not in html


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_package_is_refused_with_a_reason_and_nothing_is_stored(
    editor, media_root, case
):
    data, phrase = HOSTILE[case]
    response = _upload(editor, data)
    assert response.status_code == 200, case
    # Django's own refusal of an empty file comes first.
    assert (phrase or "Tập tin được gửi là rỗng.") in response.content.decode(), case
    assert not ContentPackage.objects.exists()
    assert _files_under(media_root) == []
    assert not (media_root.parent / "etc").exists()


def test_hostile_package_is_refused_by_the_service_too():
    for case, (data, _phrase) in HOSTILE.items():
        with pytest.raises(PackageRefused):
            package_create(title="x", file=io.BytesIO(data), name="x.zip")
        assert not ContentPackage.objects.exists(), case


def test_replacing_the_zip_swaps_the_files_whole(editor):
    package = package_from_folder()
    folder = package_folder(package.uuid)
    edit = reverse("wagtailsnippets_courses_contentpackage:edit", args=[package.pk])
    refused = editor.post(
        edit,
        {"title": "Mới", "archive": SimpleUploadedFile("x.zip", HOSTILE["symlink"][0])},
    )
    assert refused.status_code == 200
    assert (folder / "bai" / "index.html").exists()  # the old files still play
    hostile = package_from_folder("hostile")
    editor.post(
        edit,
        {
            "title": "Mới",
            "archive": SimpleUploadedFile("y.zip", hostile.archive.open("rb").read()),
        },
    )
    package.refresh_from_db()
    assert package.launch == "index.html"
    assert not (folder / "bai").exists()
    assert (folder / "xau.js").exists()


def test_deleting_a_package_removes_its_files(django_capture_on_commit_callbacks):
    package = package_from_folder()
    folder, archive = package_folder(package.uuid), package.archive.name
    assert default_storage.exists(archive)
    with django_capture_on_commit_callbacks(execute=True):
        package.delete()
    assert not folder.exists()
    assert not default_storage.exists(archive)


# --- Serving ----------------------------------------------------------------------


def _url(package, path):
    return f"/goi-noi-dung/{package.uuid}/{path}"


def test_launch_page_is_sandboxed_and_gets_the_runtime(client):
    package = package_from_folder()
    response = client.get(_url(package, "bai/index.html"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts;")
    assert "allow-same-origin" not in csp
    assert "connect-src 'none'" in csp
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response
    html = response.content.decode()
    head = html.index("<head>") + len("<head>")
    assert html[head:].startswith(
        '<script src="/static/courses/package_frame.js"></script>'
        '<script src="/static/courses/scorm_api.js"></script>'
    )


def test_h5p_player_page_is_sandboxed_and_reads_only_its_own_folder(client):
    package = package_from_folder("h5p")
    response = client.get(package.launch_url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts;")
    assert "allow-same-origin" not in csp
    assert f"connect-src http://testserver/goi-noi-dung/{package.uuid}/;" in csp
    assert "Set-Cookie" not in response
    html = response.content.decode()
    assert "/static/courses/h5p/main.bundle.js" in html
    assert "/static/courses/h5p_player.js" in html
    # The player, in its opaque origin, reads the package's JSON cross-origin.
    meta = client.get(_url(package, "h5p.json"))
    assert meta["Access-Control-Allow-Origin"] == "*"
    assert json.loads(b"".join(meta.streaming_content))["mainLibrary"] == (
        "H5P.HocvusoCauHoi"
    )


def _player_texts(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="h5p-texts" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])["H5P"]


def test_h5p_players_own_messages_are_in_the_learners_language(client):
    """H5P's core shows its own dialogs and notices (content changed since
    the last visit, connection lost, confirm): Vietnamese for a Vietnamese
    reader, H5P's English for one who chose English."""
    package = package_from_folder("h5p")
    response = client.get(package.launch_url)
    assert '<html lang="vi">' in response.content.decode()
    texts = _player_texts(response)
    assert texts["contentChanged"] == "Nội dung này đã thay đổi từ lần học trước."
    assert texts["confirmLabel"] == "Xác nhận"
    assert texts["offlineDialogRetryMessage"] == "Thử lại sau :num giây…"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(package.launch_url)
    assert '<html lang="en">' in response.content.decode()
    texts = _player_texts(response)
    assert texts["contentChanged"] == (
        "This content has changed since you last used it."
    )
    assert texts["confirmLabel"] == "Confirm"


def test_only_an_h5p_package_has_a_player_page(client):
    package = package_from_folder()
    assert client.get(f"/goi-noi-dung/{package.uuid}/").status_code == 404
    assert client.post(package_from_folder("h5p").launch_url).status_code == 405


def test_package_files_are_sandboxed_too(client):
    package = package_from_folder()
    script = client.get(_url(package, "bai/bai.js"))
    assert script.status_code == 200
    assert script["Content-Type"] in ("text/javascript", "application/javascript")
    assert script["Content-Security-Policy"].startswith("sandbox allow-scripts;")
    assert b"scorm_api.js" not in b"".join(script.streaming_content)


@pytest.mark.parametrize(
    "path",
    [
        "../../../etc/passwd",
        "bai/../../x",
        "%2e%2e/%2e%2e/settings.py",
        "..%2f..%2fimsmanifest.xml",
        "bai/khong-co.html",
        "bai",
        "/etc/passwd",
        "bai/index.html%00.js",
        "a\\..\\b",
    ],
)
def test_paths_outside_a_package_answer_404(client, path):
    package = package_from_folder()
    (package_folder(package.uuid).parent / "secret.txt").write_text("bí mật")
    response = client.get(_url(package, path))
    assert response.status_code == 404


def test_a_link_placed_in_the_folder_is_not_followed(client, media_root):
    package = package_from_folder()
    (media_root / "secret.txt").write_text("bí mật")
    os.symlink(media_root / "secret.txt", package_folder(package.uuid) / "lien-ket")
    assert client.get(_url(package, "lien-ket")).status_code == 404


def test_unknown_package_answers_404(client):
    package = package_from_folder()
    other = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/goi-noi-dung/{other}/bai/index.html").status_code == 404
    assert client.post(_url(package, "bai/index.html")).status_code == 405


# --- Reports from the runtime -------------------------------------------------------


@pytest.fixture
def lesson(build_catalog, learner):
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    enrolment_create(user=learner, course=course)
    first = LessonPage.objects.child_of(course).get()
    return put_package_in_lesson(first, package_from_folder())


def _report(client, lesson, **fields):
    if "package_id" not in fields:
        fields["package_id"] = ContentPackage.objects.get().pk
    payload = {
        "lesson_id": lesson.pk,
        "status": "incomplete",
        "score": None,
        **fields,
    }
    return client.post(
        reverse("api:package_report"),
        json.dumps(payload),
        content_type="application/json",
    )


def test_lesson_shows_the_package_in_a_sandboxed_frame(client, lesson):
    html = client.get(lesson.url).content.decode()
    package = ContentPackage.objects.get()
    assert f'data-launch="{_url(package, "bai/index.html")}"' in html
    assert 'sandbox="allow-scripts"' in html
    assert "Học hết phần này để hoàn thành bài" in html


def test_passed_package_completes_the_lesson_and_the_course(client, learner, lesson):
    client.force_login(learner)
    started = _report(client, lesson, status="incomplete")
    assert started.json() == {
        "status": "incomplete",
        "score": None,
        "lesson_completed": False,
    }
    failed = _report(client, lesson, status="failed", score=40)
    assert failed.json()["lesson_completed"] is False
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()
    passed = _report(client, lesson, status="passed", score=90.5)
    assert passed.json() == {
        "status": "passed",
        "score": 90.5,
        "lesson_completed": True,
    }
    assert LessonProgress.objects.get(user=learner).completed_at is not None
    assert CourseCompletion.objects.filter(user=learner).exists()
    attempt = PackageAttempt.objects.get()
    assert (attempt.best_score, attempt.completed_at is not None) == (90.5, True)
    # A later "failed" is kept as the last word but undoes nothing.
    _report(client, lesson, status="failed", score=10)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.best_score) == ("failed", 90.5)
    assert attempt.completed_at is not None


def test_a_learners_package_results_are_in_their_data_download(client, learner, lesson):
    client.force_login(learner)
    _report(client, lesson, status="passed", score=90.5)
    _report(client, lesson, status="failed", score=10)
    data = client.get(reverse("privacy_my_data_download", args=["json"])).json()
    [row] = data["Gói nội dung trong bài học"]
    assert (row["Gói nội dung"], row["Trạng thái"]) == ("Gói thử", "Chưa đạt")
    assert (row["Điểm lần gần nhất"], row["Điểm cao nhất"]) == (10, 90.5)
    assert row["Học xong lúc"]


def test_marking_the_lesson_done_waits_for_the_package(client, learner, lesson):
    client.force_login(learner)
    response = client.post(reverse("lesson_mark_done", args=[lesson.pk]))
    assert response["Location"] == lesson.url
    assert (
        "Hãy học xong “Gói thử” trước khi hoàn thành bài."
        in (page_state(client, lesson)["parts"]["messages"])
    )
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()
    _report(client, lesson, status="completed")
    assert LessonProgress.objects.get().completed_at is not None


def test_an_optional_package_is_recorded_but_does_not_hold_the_lesson(
    client, learner, lesson
):
    lesson.body = json.dumps(
        [
            {**block, "value": {**block["value"], "required": False}}
            if block["type"] == "package"
            else block
            for block in lesson.body.raw_data
        ]
    )
    lesson.save_revision().publish()
    client.force_login(learner)
    assert _report(client, lesson, status="passed").json()["lesson_completed"] is False
    assert PackageAttempt.objects.get().status == "passed"
    client.post(reverse("lesson_mark_done", args=[lesson.pk]))
    assert LessonProgress.objects.get().completed_at is not None


def test_course_is_not_complete_while_a_required_package_is_unfinished(learner, lesson):
    LessonProgress.objects.create(
        user=learner,
        lesson=lesson,
        course=lesson.get_parent().specific,
        opened_at="2026-12-01T00:00Z",
        completed_at="2026-12-01T00:00Z",
    )
    facts, _test = completion_facts_get(
        user=learner, course=lesson.get_parent().specific
    )
    assert facts.unfinished_packages == {ContentPackage.objects.get().pk}
    rule = CompletionRule(requires_lessons=True, requires_test=False)
    assert not course_is_complete(rule, facts)
    done = CompletionFacts(
        required_lessons=facts.required_lessons, done_lessons=facts.done_lessons
    )
    assert course_is_complete(rule, done)


HOSTILE_REPORTS = {
    "status outside SCORM": {"status": "hacked"},
    "status with padding": {"status": "passed "},
    "status in capitals": {"status": "PASSED"},
    "status not a string": {"status": ["passed"]},
    "score above 100": {"status": "passed", "score": 1000},
    "score below 0": {"status": "passed", "score": -1},
    "score as text": {"status": "passed", "score": "90; DROP TABLE"},
    "score huge": {"status": "passed", "score": 1e308},
    "package id negative": {"package_id": -1},
    "package id huge": {"package_id": 2**63},
    "lesson id text": {"lesson_id": "1 OR 1=1"},
    "long status": {"status": "p" * 100_000},
    "saved state with NUL": {"suspend_data": "a\x00b"},
    "saved state with a lone surrogate": {"suspend_data": "a\ud800b"},
    "saved state too long": {"suspend_data": "x" * 64_001},
    "saved state not text": {"suspend_data": {"a": 1}},
    "location with NUL": {"location": "\x00"},
    "location too long": {"location": "x" * 1001},
}


@pytest.mark.parametrize("case", sorted(HOSTILE_REPORTS))
def test_hostile_reports_are_refused_and_change_nothing(client, learner, lesson, case):
    client.force_login(learner)
    response = _report(client, lesson, **HOSTILE_REPORTS[case])
    assert response.status_code == 422, case
    assert response.json()["detail"] == "Dữ liệu gửi lên không hợp lệ."
    assert not PackageAttempt.objects.exists()


def test_where_the_learner_left_off_is_kept_and_given_back(client, learner, lesson):
    client.force_login(learner)
    package = ContentPackage.objects.get()
    resume = reverse("api:package_resume")
    query = {"package_id": package.pk, "lesson_id": lesson.pk}
    assert client.get(resume, query).status_code == 404
    # Another program's data: kept exactly, emoji, tabs and spaces included.
    saved = '  {"trang": 3,\t"ghi chú": "đã xem 😀"}  ' + "x" * 60_000
    _report(client, lesson, status="incomplete", suspend_data=saved, location="trang-3")
    assert client.get(resume, query).json() == {
        "status": "incomplete",
        "score": None,
        "suspend_data": saved,
        "location": "trang-3",
    }
    # A report without saved state leaves the saved state alone.
    _report(client, lesson, status="passed", score=80)
    answer = client.get(resume, query).json()
    assert (answer["status"], answer["score"], answer["location"]) == (
        "passed",
        80,
        "trang-3",
    )
    assert answer["suspend_data"] == saved


def test_a_resumed_visit_repeating_what_is_stored_does_not_rewrite_it(
    client, learner, lesson
):
    """A SCORM runtime reports again at Initialize on every visit: when it
    only repeats what is stored, the row is not written again."""
    client.force_login(learner)
    fields = {"status": "incomplete", "suspend_data": "trang 3", "location": "3"}
    assert _report(client, lesson, score=40, **fields).status_code == 200
    written = PackageAttempt.objects.get().updated_at
    with CaptureQueriesContext(connection) as queries:
        assert _report(client, lesson, score=40, **fields).status_code == 200
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    assert PackageAttempt.objects.get().updated_at == written
    # Anything new is written.
    assert _report(client, lesson, score=60, **fields).status_code == 200
    attempt = PackageAttempt.objects.get()
    assert (attempt.score, attempt.best_score) == (60, 60)
    assert attempt.updated_at > written


def test_resume_is_the_learners_own_and_only_in_its_lesson(
    client, learner, lesson, make_learner
):
    client.force_login(learner)
    _report(client, lesson, status="incomplete", suspend_data="của tôi")
    package = ContentPackage.objects.get()
    resume = reverse("api:package_resume")
    stranger = make_learner()
    client.force_login(stranger)
    query = {"package_id": package.pk, "lesson_id": lesson.pk}
    assert client.get(resume, query).status_code == 404
    client.force_login(learner)
    other = package_from_folder("hostile")
    assert (
        client.get(resume, {"package_id": other.pk, "lesson_id": lesson.pk}).status_code
        == 404
    )
    for hostile in (
        {"package_id": "1 OR 1=1"},
        {"lesson_id": 2**63},
        {"package_id": ""},
    ):
        assert client.get(resume, {**query, **hostile}).status_code == 422
    client.logout()
    assert client.get(resume, query).status_code == 401


def test_score_nan_in_json_is_refused(client, learner, lesson):
    client.force_login(learner)
    body = (
        f'{{"package_id": {ContentPackage.objects.get().pk}, '
        f'"lesson_id": {lesson.pk}, "status": "passed", "score": NaN}}'
    )
    response = client.post(
        reverse("api:package_report"), body, content_type="application/json"
    )
    assert response.status_code == 422
    assert not PackageAttempt.objects.exists()


def test_reports_for_another_lesson_or_course_are_refused(
    client, learner, lesson, make_learner
):
    client.force_login(learner)
    other = package_from_folder("hostile")
    response = _report(client, lesson, package_id=other.pk, status="passed")
    assert response.status_code == 404
    assert response.json()["detail"] == "Bài học này không có gói nội dung đó."
    own = ContentPackage.objects.exclude(pk=other.pk).get()
    assert (
        _report(client, lesson, package_id=own.pk, lesson_id=999999).status_code == 404
    )
    stranger = make_learner()
    client.force_login(stranger)
    refused = _report(client, lesson, package_id=own.pk, status="passed")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Bạn chưa đăng ký khóa học này."
    assert not PackageAttempt.objects.exists()


def test_anonymous_and_cross_site_reports_are_refused(client, learner, lesson):
    assert _report(client, lesson, status="passed").status_code == 401
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(learner)
    assert _report(csrf_client, lesson, status="passed").status_code == 403
    assert not PackageAttempt.objects.exists()
