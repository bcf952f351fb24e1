"""A learner on a 360 × 740 phone plays a SCORM 1.2 package inside a lesson:
answering in the package completes the lesson. A hostile package's script,
in its sandboxed frame, gets neither the site's cookies, nor its storage,
nor the lesson page, nor the API, and its forged results are not recorded."""

import pytest
from django.conf import settings
from django.test import Client

from courses.models import CoursePage, LessonPage, LessonProgress, PackageAttempt
from courses.services import enrolment_create

from ..courses.package_helpers import package_from_folder, put_package_in_lesson
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FRAME = "[data-package-player] iframe"


def _lesson_with(package_name: str, *, learner, title: str) -> LessonPage:
    course = CoursePage.objects.get()
    enrolment_create(user=learner, course=course)
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    return put_package_in_lesson(lesson, package_from_folder(package_name, title=title))


@pytest.fixture
def course(build_catalog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    build_catalog(courses=1, lessons=2)


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": live_server.url,
            }
        ]
    )


def _play(page, live_server, learner, lesson) -> list:
    """Log the learner in and open the lesson; the list returned fills with
    the package reports the lesson page sends."""
    _log_in(page, live_server, learner)
    reports = []
    page.on(
        "request", lambda r: reports.append(r) if "/packages/report" in r.url else None
    )
    _open(page, live_server, lesson)
    return reports


def _statuses(reports: list) -> set[int]:
    return {request.response().status for request in reports}


def _open(page, live_server, lesson) -> None:
    page.goto(live_server.url + lesson.url)
    page.wait_for_load_state("networkidle")
    page.locator(FRAME).scroll_into_view_if_needed()


def test_scorm_package_plays_on_a_phone_and_completes_the_lesson(
    live_server, phone, learner, course
):
    lesson = _lesson_with("scorm12", learner=learner, title="Mật khẩu an toàn")
    page = phone
    reports = _play(page, live_server, learner, lesson)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator(FRAME).bounding_box()
    assert box["width"] <= 360 and box["height"] >= 300
    package = page.frame_locator(FRAME)
    package.locator("button", has_text="123456").click()
    package.locator("#ket-qua", has_text="Chưa đúng").wait_for()
    package.locator("button", has_text="Ba-con-meo").click()
    package.locator("#ket-qua", has_text="Đúng! Đã gửi kết quả.").wait_for()
    page.locator("[data-package-done]").wait_for(state="visible")
    # The progress and the lesson's buttons follow without a reload.
    page.locator(".lesson-actions", has_text="Bạn đã hoàn thành bài này.").wait_for()
    screenshot(page, "lesson-package-done")

    assert reports and _statuses(reports) == {200}
    progress = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert progress.completed_at is not None
    attempt = PackageAttempt.objects.get(user=learner)
    assert (attempt.status, attempt.score, attempt.best_score) == ("passed", 100, 100)
    page.reload()
    page.locator(".lesson-actions", has_text="Bạn đã hoàn thành bài này.").wait_for()


def test_hostile_package_gets_nothing_of_the_site(live_server, phone, learner, course):
    lesson = _lesson_with("hostile", learner=learner, title="Gói lạ")
    page = phone
    reports = _play(page, live_server, learner, lesson)
    # There is something to steal: the lesson page's own cookie.
    assert "csrftoken=" in page.evaluate("document.cookie")
    package = page.frame_locator(FRAME)
    package.locator("#tan-cong").click()
    package.locator("#api", has_text="chặn").wait_for()
    for name in ("cookie", "parent", "storage", "top", "api"):
        assert package.locator(f"#{name}").inner_text() == "chặn", name
    screenshot(page, "lesson-package-hostile")
    # Forged results (status "hacked", score 1000) never reach the server.
    page.wait_for_timeout(500)
    assert reports == []
    assert not PackageAttempt.objects.exists()
    assert page.url == live_server.url + lesson.url  # no navigation of the top


def test_h5p_file_plays_on_a_phone_and_completes_the_lesson(
    live_server, phone, learner, course
):
    lesson = _lesson_with("h5p", learner=learner, title="Mật khẩu an toàn (H5P)")
    page = phone
    reports = _play(page, live_server, learner, lesson)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    package = page.frame_locator(FRAME)
    # h5p-standalone read the file's JSON and ran its library in the sandbox.
    package.locator(".hocvuso-cau-hoi", has_text="Mật khẩu nào an toàn hơn?").wait_for()
    # H5P's own dialogs speak Vietnamese.
    player = next(f for f in page.frames if "/goi-noi-dung/" in f.url)
    assert player.evaluate("H5P.t('confirmLabel')") == "Xác nhận"
    with page.expect_response(lambda r: "/packages/report" in r.url):
        package.locator("button", has_text="123456").click()
    package.locator("#ket-qua", has_text="Chưa đúng").wait_for()
    attempt = PackageAttempt.objects.get(user=learner)
    assert (attempt.status, attempt.score) == ("failed", 0)
    package.locator("button", has_text="Ba-con-meo").click()
    package.locator("#ket-qua", has_text="Đúng! Đã gửi kết quả.").wait_for()
    page.locator("[data-package-done]").wait_for(state="visible")
    page.locator(".lesson-actions", has_text="Bạn đã hoàn thành bài này.").wait_for()
    screenshot(page, "lesson-h5p-done")

    assert reports and _statuses(reports) == {200}
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed_at
    attempt = PackageAttempt.objects.get(user=learner)
    assert (attempt.status, attempt.score, attempt.best_score) == ("passed", 100, 100)
    # The next visit, the content gets its state back from H5P's core.
    page.reload()
    page.wait_for_load_state("networkidle")
    page.frame_locator(FRAME).locator(
        "#lan-truoc", has_text="Lần trước bạn chọn: Ba-con-meo-trèo-cây-cau!"
    ).wait_for()


def test_scorm_2004_package_plays_on_a_phone_and_completes_the_lesson(
    live_server, phone, learner, course
):
    lesson = _lesson_with("scorm2004", learner=learner, title="Lừa đảo trực tuyến")
    page = phone
    _log_in(page, live_server, learner)
    _open(page, live_server, lesson)
    package = page.frame_locator(FRAME)
    with page.expect_response(lambda r: "/packages/report" in r.url):
        package.locator("button", has_text="Bấm vào link").click()
    package.locator("#ket-qua", has_text="Chưa đúng").wait_for()
    # Back another day: the package finds where the learner left off.
    _open(page, live_server, lesson)
    package = page.frame_locator(FRAME)
    package.locator("#lan-truoc", has_text="Lần trước: đã trả lời sai").wait_for()
    package.locator("button", has_text="Không bấm").click()
    package.locator("#ket-qua", has_text="Đúng! Đã gửi kết quả.").wait_for()
    page.locator("[data-package-done]").wait_for(state="visible")
    page.locator(".lesson-actions", has_text="Bạn đã hoàn thành bài này.").wait_for()

    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed_at
    attempt = PackageAttempt.objects.get(user=learner)
    assert (attempt.status, attempt.score, attempt.best_score) == ("passed", 100, 100)


def test_hostile_h5p_gets_nothing_of_the_site(live_server, phone, learner, course):
    lesson = _lesson_with("h5p-hostile", learner=learner, title="Gói H5P lạ")
    page = phone
    reports = _play(page, live_server, learner, lesson)
    # There is something to steal: the lesson page's cookie and storage.
    assert "csrftoken=" in page.evaluate("document.cookie")
    page.evaluate("localStorage.setItem('hocvuso-bi-mat', 'của trang học')")
    package = page.frame_locator(FRAME)
    package.locator("#tan-cong").click()
    package.locator("#api", has_text="chặn").wait_for()
    for name in ("cookie", "parent", "top", "api"):
        assert package.locator(f"#{name}").inner_text() == "chặn", name
    # The player's stand-in storage lasts the sitting and holds nothing of the site's.
    assert package.locator("#storage").inner_text() == "null"
    screenshot(page, "lesson-h5p-hostile")
    # A forged message ("passed-hack") and a statement scoring 1000 of 1
    # never reach the server.
    page.wait_for_timeout(500)
    assert reports == []
    assert not PackageAttempt.objects.exists()
    assert page.url == live_server.url + lesson.url
