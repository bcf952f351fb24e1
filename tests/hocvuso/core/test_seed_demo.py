import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.core.demo import DEMO_COMMUNE
from hocvuso.orgunits.models import Assignment, Team, TeamRole, Unit, UnitTarget
from hocvuso.reports.periods import Period
from hocvuso.reports.selectors import level_rows, subject_get

from certificates.models import Certificate
from courses.models import CoursePage, LessonPage, LessonProgress, ProgrammePage
from quizzes.models import ExtraTimeGrant

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--no-media", verbosity=0)


def words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def test_seed_twice_changes_nothing(seeded):
    before = row_counts()
    call_command("seed_demo", "--no-media", verbosity=0)
    assert row_counts() == before


def test_seven_courses_with_real_lessons_that_end_with_sources(seeded):
    # The seven shared courses; the second site's own course is below.
    courses = list(
        CoursePage.objects.live()
        .filter(owner_site__isnull=True)
        .order_by("topic_number")
    )
    assert [c.topic_number for c in courses] == [1, 2, 3, 4, 5, 6, 7]
    for course in courses:
        assert course.cover_image is not None, course.title
        lessons = LessonPage.objects.live().child_of(course)
        assert lessons.count() >= 4, course.title
        for lesson in lessons:
            blocks = list(lesson.body)
            text = " ".join(b.value.source for b in blocks if b.block_type == "text")
            assert 200 <= words(text) <= 600, (lesson.title, words(text))
            assert blocks[-1].block_type == "sources", lesson.title
            assert all(
                s["url"].startswith("https://") or s["url"].startswith("http://")
                for s in blocks[-1].value["items"]
            ), lesson.title


def test_programmes_follow_the_provincial_plan(seeded):
    team = ProgrammePage.objects.get(slug="to-cong-nghe-so-cong-dong")
    citizens = ProgrammePage.objects.get(slug="nguoi-dan")

    def topics(programme):
        return [
            pc.course.specific.topic_number for pc in programme.programme_courses.all()
        ]

    assert topics(team) == [1, 2, 3, 4, 5, 6, 7]
    assert topics(citizens) == [2, 4, 5, 6]
    assert ProgrammePage.objects.count() == 4


def test_demo_accounts_log_in(seeded, client):
    for username in [
        "hocvien",
        "thanhvien",
        "quantrixa",
        "quantritinh",
        "quantrihue",
        "nguoidich",
        "admin",
    ]:
        assert User.objects.filter(username=username).exists()
        response = client.post(
            "/tai-khoan/login/", {"login": username, "password": "Hocvuso@2025"}
        )
        assert response.status_code == 302, username
        client.logout()


def test_seed_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(Exception, match="chỉ chạy ở môi trường thử"):
        call_command("seed_demo", "--no-media", verbosity=0)


def test_every_course_ends_in_a_final_test_with_a_sound_bank(seeded):
    from quizzes.models import Question, QuizPage

    for course in CoursePage.objects.live().filter(owner_site__isnull=True):
        quiz = QuizPage.objects.live().child_of(course).get()
        assert quiz.question_count <= Question.objects.filter(course=course).count()
        questions = Question.objects.filter(course=course).prefetch_related("choices")
        assert questions.count() >= 15, course.title
        for question in questions:
            right = [c for c in question.choices.all() if c.correct]
            assert question.explanation.strip(), question.text
            if question.kind == "multiple":
                assert 2 <= len(right) < question.choices.count(), question.text
            else:
                assert len(right) == 1, question.text
            if question.kind == "true_false":
                assert [c.text for c in question.choices.order_by("sort_order")] == [
                    "Đúng",
                    "Sai",
                ]


SUMMARY = re.compile(
    r"^\s*(?P<label>[^:\n]+): (?:tạo mới|thêm mới) (?P<created>\d+), "
    r"(?:cập nhật|đổi tên) (?P<updated>\d+), không đổi (?P<unchanged>\d+)"
    r"(?:, gỡ bỏ (?P<retired>\d+))?",
    re.MULTILINE,
)


def _summaries(output: str) -> dict[str, tuple[int, int]]:
    """label → (created, total) for every summary line the seed printed."""
    found = {}
    for m in SUMMARY.finditer(output):
        counts = [int(m[g] or 0) for g in ("created", "updated", "unchanged")]
        found[m["label"].strip()] = (counts[0], sum(counts))
    return found


def test_a_rerun_says_what_was_already_there_with_the_same_totals(settings):
    settings.DEBUG = True
    first, second = StringIO(), StringIO()
    call_command("seed_demo", "--no-media", stdout=first)
    call_command("seed_demo", "--no-media", stdout=second)
    before, after = _summaries(first.getvalue()), _summaries(second.getvalue())
    assert {"tài khoản", "số liệu mẫu", "trang và ảnh bìa"} <= before.keys()
    assert before.keys() == after.keys()
    for label, (created, total) in before.items():
        assert created > 0, label  # the first run made everything
        assert after[label] == (0, total), label  # then found it all, same total


def test_the_demo_tells_every_user_group_story(seeded):
    commune = Unit.objects.get(code=DEMO_COMMUNE)
    team = Team.objects.get(unit=commune)
    assert team.memberships.filter(role=TeamRole.LEADER).count() == 1
    assert team.memberships.count() >= 5
    assignment = Assignment.objects.get(unit=commune)
    assert assignment.due_on > timezone.localdate()
    assert UnitTarget.objects.filter(unit=commune).count() == 2
    learner = User.objects.get(username="hocvien")
    assert ExtraTimeGrant.objects.filter(user=learner, minutes=10).exists()
    assert Certificate.objects.filter(user=learner).count() == 1

    course = CoursePage.objects.get(topic_number=1)
    lessons = LessonPage.objects.live().child_of(course).count()
    done = LessonProgress.objects.filter(
        user__username="thanhvien", course=course
    ).exclude(completed_at=None)
    assert 0 < done.count() < lessons  # half-way

    # The commune's row of the province report has numbers in it.
    programme = ProgrammePage.objects.get(slug="to-cong-nghe-so-cong-dong")
    province = commune.get_parent()
    rows = level_rows(
        unit=province,
        subject=subject_get(kind="programme", pk=programme.pk),
        period=Period(),
        audience="",
        depth=commune.depth,
    )
    figures = next(r for r in rows if r.code == commune.code).figures
    assert figures.in_scope >= 6 and figures.started >= 5
    citizens = ProgrammePage.objects.get(slug="nguoi-dan")
    rows = level_rows(
        unit=province,
        subject=subject_get(
            kind="course", pk=CoursePage.objects.get(topic_number=2).pk
        ),
        period=Period(),
        audience="",
        depth=commune.depth,
    )
    figures = next(r for r in rows if r.code == commune.code).figures
    assert (figures.completed, figures.passed) == (1, 1)
    assert citizens.unit_targets.filter(unit=commune).exists()


def test_the_demo_report_reads_maintained_figures_equal_to_the_raw_rows(seeded):
    """Issue 23: the story's progress is counted by the maintained figures."""
    call_command("reports_check")  # raises CommandError on any difference


def test_the_demos_campaign_is_on_a_learners_home_page_and_the_board(seeded, client):
    """Issue 21 parts 4–5: the month of action runs across the province."""
    client.force_login(User.objects.get(username="hocvien"))
    home = client.get("/").content.decode()
    assert "Tháng hành động “Bình dân học vụ số”" in home
    client.logout()
    board = client.get("/bang-thi-dua/").content.decode()
    assert "Tháng hành động “Bình dân học vụ số”" in board
    # Ranked by the citizens' programme: Cẩm Thành has a target of 40.
    commune = Unit.objects.get(code=DEMO_COMMUNE)
    assert f'<tr data-code="{commune.code}"><td class="num rank">1</td>' in board


def test_the_demo_has_two_province_sites_each_with_its_look_and_admin(
    seeded, client, settings
):
    from hocvuso.orgunits.models import AdminRole
    from hocvuso.province_sites.models import ProvinceSite
    from wagtail.models import Site

    from certificates.models import CertificateSettings

    looks = {
        s.site.hostname: (s.province.code, s.name)
        for s in ProvinceSite.objects.select_related("site", "province")
    }
    assert looks == {
        "localhost": ("51", "Học số Quảng Ngãi"),
        "hue.localhost": ("46", "Học số Huế"),
    }
    hue = Site.objects.get(hostname="hue.localhost")
    assert "thành phố Huế" in CertificateSettings.for_site(hue).issuer_name
    assert AdminRole.objects.filter(
        user__username="quantrihue", unit__code="46", role="province_admin"
    ).exists()
    settings.ALLOWED_HOSTS = [".localhost"]  # as in development
    page = client.get("/", HTTP_HOST="hue.localhost")
    assert '<a class="brand" href="/">Học số Huế</a>' in page.text


def test_the_demo_translator_reaches_the_translation_screens_only(seeded, client):
    """nguoidich is in the translators' group: the CMS's "Bản dịch" screens
    open, nothing else of the CMS or of the administrators' pages does."""
    translator = User.objects.get(username="nguoidich")
    assert [g.name for g in translator.groups.all()] == ["Người dịch"]
    assert translator.unit_id is None and not translator.is_superuser
    client.force_login(translator)
    screen = client.get("/cms/ban-dich/")
    assert screen.status_code == 200
    course = CoursePage.objects.get(topic_number=2)
    assert course.title in screen.content.decode()
    download = client.get(f"/cms/ban-dich/{course.pk}/en.po")
    assert download.status_code == 200
    for path in [
        f"/cms/pages/{course.pk}/edit/",
        f"/cms/pages/{course.pk}/delete/",
        "/cms/snippets/courses/lessonmedia/",
        "/cms/snippets/quizzes/question/",
        "/cms/users/",
        "/quan-tri/",
        "/quan-tri/bao-cao/",
        "/django-admin/",
    ]:
        response = client.get(path)
        assert response.status_code in (302, 403, 404), path
        if response.status_code == 302:
            # Sent to a login page or elsewhere, never into the page itself.
            location = response["Location"]
            assert "login" in location or not location.startswith(path), path
    # The CMS's certificate list opens for any CMS user, scoped to the units
    # they administer: none for a translator.
    serials = list(Certificate.objects.values_list("serial", flat=True))
    assert serials  # the demo's learner has one
    listing = client.get("/cms/chung-nhan/").content.decode()
    assert not [serial for serial in serials if serial in listing]


def test_the_second_site_has_its_own_course_and_the_first_has_not(
    seeded, client, settings
):
    from hocvuso.province_sites.demo import DEMO_SECOND_HOST

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    own = CoursePage.objects.get(owner_site__hostname=DEMO_SECOND_HOST)
    assert own.title == "Giới thiệu trang học của tỉnh: Học số Huế"
    assert not own.completion_requires_test
    assert LessonPage.objects.live().child_of(own).count() == 2
    catalog = own.get_parent().url
    assert own.title in client.get(catalog, HTTP_HOST=DEMO_SECOND_HOST).text
    assert own.title not in client.get(catalog).text
    assert client.get(own.url).status_code == 404
