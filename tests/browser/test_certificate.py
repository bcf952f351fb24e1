"""At 360 px: a learner finishes the lessons, passes the final test, finds
the certificate in "Chứng nhận của tôi" and opens its verification link."""

import pytest

from courses.models import CoursePage, LessonPage
from quizzes.models import Attempt, Choice

from .conftest import mark_lesson_done, screenshot, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finish_a_course_see_the_certificate_and_verify_it(
    live_server, phone, make_learner, make_quiz, settings
):
    settings.CERTIFICATES_SITE_URL = live_server.url  # printed in the QR code
    page = phone
    quiz = make_quiz(questions=4, draw=4)
    learner = make_learner(full_name="Nguyễn Thị Hồng Nhung")
    course = CoursePage.objects.get()
    page.goto(live_server.url + "/tai-khoan/login/")
    page.fill("input[name=login]", learner.username)
    page.fill("input[name=password]", "Matkhau@2025")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + course.url)
    page.get_by_role("button", name="Đăng ký học").click()
    for _lesson in LessonPage.objects.child_of(course):
        mark_lesson_done(page)

    page.goto(live_server.url + quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/kiem-tra/lam-bai/**")
    attempt = Attempt.objects.get()
    for index, qid in enumerate(attempt.question_ids):
        page.locator(f'nav[data-nav] button[data-goto="{index}"]').click()
        for choice in Choice.objects.filter(question_id=qid, correct=True):
            page.locator(f'fieldset[data-q="{qid}"] input[value="{choice.pk}"]').check()
    wait_for_js(
        page,
        "document.querySelectorAll('nav[data-nav] button.answered:not(.pending)').length >= 4",
    )
    page.get_by_role("button", name="Nộp bài").last.click()
    page.locator("dialog[data-confirm] button[value=submit]").click()
    page.wait_for_url("**/kiem-tra/ket-qua/**")

    page.get_by_role("link", name="Chứng nhận của tôi").first.click()
    card = page.locator("li.certificate")
    card.wait_for()
    assert course.title in card.inner_text()
    screenshot(page, "certificates-mine-360")
    page.locator("a[data-share]").click()
    page.wait_for_url("**/xac-minh/**")
    assert "Chứng nhận hợp lệ" in page.locator("[data-status=valid]").inner_text()
    assert page.locator("[data-holder]").inner_text() == "Nguyễn Thị Hồng Nhung"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "certificate-verify-360")
