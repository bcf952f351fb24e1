"""The timed test on a 360 px phone: losing the network loses nothing, and
the timer submits by itself."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hocvuso.accounts.models import PrivacyNotice

from quizzes.models import Answer, Attempt, Choice

from .conftest import screenshot, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, learner):
    # After the test data is written: SQLite (the default) locks tables
    # that a request of the live server is still reading.
    page.goto(live_server.url + "/tai-khoan/login/")
    page.fill("input[name=login]", learner.username)
    page.fill("input[name=password]", "Matkhau@2025")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/")


def _start(page, live_server, quiz):
    page.goto(live_server.url + quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/kiem-tra/lam-bai/**")
    return Attempt.objects.get()


def _answer(page, attempt, index: int, *, right: bool) -> None:
    qid = attempt.question_ids[index]
    choices = Choice.objects.filter(question_id=qid, correct=right)
    page.locator(f'nav[data-nav] button[data-goto="{index}"]').click()
    for choice in choices if right else choices[:1]:
        page.locator(f'fieldset[data-q="{qid}"] input[value="{choice.pk}"]').check()


def _wait_saved(page, count: int) -> None:
    wait_for_js(
        page,
        f"document.querySelectorAll('nav[data-nav] button.answered:not(.pending)').length >= {count}",
    )


def test_offline_answers_survive_a_reload_and_are_graded(
    live_server, phone, learner, make_quiz
):
    page = phone
    quiz = make_quiz(questions=4, draw=4)
    _login(page, live_server, learner)
    attempt = _start(page, live_server, quiz)
    _answer(page, attempt, 0, right=True)
    _answer(page, attempt, 1, right=False)
    _wait_saved(page, 2)
    assert Answer.objects.filter(attempt=attempt).count() == 2

    page.context.set_offline(True)
    _answer(page, attempt, 2, right=True)
    _answer(page, attempt, 3, right=True)
    banner = page.get_by_text("Đang ngoại tuyến (không có mạng).")
    banner.wait_for()
    assert Answer.objects.filter(attempt=attempt).count() == 2
    screenshot(page, "quiz-offline-360")

    page.reload()  # still offline: the page comes from the phone
    assert page.locator("nav[data-nav] button.answered").count() == 4
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_saved(page, 4)
    assert Answer.objects.filter(attempt=attempt).count() == 4

    page.get_by_role("button", name="Nộp bài").last.click()
    assert page.get_by_text("Bạn đã trả lời tất cả các câu.").is_visible()
    page.locator("dialog[data-confirm] button[value=submit]").click()
    page.wait_for_url("**/kiem-tra/ket-qua/**")
    assert page.locator("[data-score]").inner_text().startswith("Điểm: 75%")
    finished = Attempt.objects.get()
    assert (finished.status, finished.score_percent, finished.passed) == (
        "finished",
        75.0,
        True,
    )
    screenshot(page, "quiz-result-360")


def test_the_timer_submits_by_itself(live_server, phone, learner, make_quiz, settings):
    """Within the spread after time is up, graded on the answers given before
    it, and dated no later than the deadline."""
    settings.QUIZ_AUTO_SUBMIT_SPREAD_SECONDS = 5
    page = phone
    quiz = make_quiz(questions=4, draw=4, time_limit=timedelta(seconds=12))
    _login(page, live_server, learner)
    attempt = _start(page, live_server, quiz)
    assert page.locator("[data-attempt]").get_attribute("data-submit-spread") == "5"
    _answer(page, attempt, 0, right=True)
    _wait_saved(page, 1)
    page.wait_for_url("**/kiem-tra/ket-qua/**", timeout=35_000)
    assert page.locator("[data-score]").inner_text().startswith("Điểm: 25%")
    finished = Attempt.objects.get()
    assert finished.status == "finished" and finished.finished_at <= finished.deadline


def test_a_notice_published_during_the_test_asks_consent_then_saves(
    live_server, phone, learner, make_quiz
):
    page = phone
    quiz = make_quiz(questions=4, draw=4)
    _login(page, live_server, learner)
    attempt = _start(page, live_server, quiz)
    _answer(page, attempt, 0, right=True)
    _wait_saved(page, 1)

    PrivacyNotice.objects.create(
        version="2.0",
        title="Thông báo xử lý dữ liệu cá nhân (sửa đổi)",
        body="<p>Nội dung mới.</p>",
        published_at=timezone.now(),
    )
    # The API refuses the next answer, and the page goes to the consent page
    # (a click, not check(): the page is gone before the box could be read).
    qid = attempt.question_ids[1]
    choice = Choice.objects.filter(question_id=qid).first()
    page.locator('nav[data-nav] button[data-goto="1"]').click()
    page.locator(f'fieldset[data-q="{qid}"] input[value="{choice.pk}"]').click(
        no_wait_after=True
    )
    page.wait_for_url("**/tai-khoan/dong-y/**")
    assert Answer.objects.filter(attempt=attempt).count() == 1
    page.check("input[name=agree]")
    page.get_by_role("button", name="Xác nhận và bắt đầu học").click()

    page.wait_for_url(f"**/kiem-tra/lam-bai/{attempt.pk}/")
    _wait_saved(page, 2)  # the answer kept on the phone is sent now
    assert Answer.objects.filter(attempt=attempt).count() == 2


def _shown_seconds(page) -> int:
    minutes, seconds = page.locator("[data-timer]").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def test_after_an_offline_reload_the_timer_counts_down_from_the_servers_deadline(
    live_server, phone, learner, make_quiz
):
    page = phone
    quiz = make_quiz(questions=4, draw=4)
    _login(page, live_server, learner)
    attempt_pages = []
    page.on(
        "request",
        lambda r: (
            attempt_pages.append(r.url) if "/kiem-tra/lam-bai/" in r.url else None
        ),
    )
    attempt = _start(page, live_server, quiz)
    _answer(page, attempt, 0, right=True)
    _wait_saved(page, 1)
    # The page is asked for once at the start, not a second time for the cache.
    assert len(attempt_pages) == 1, attempt_pages

    page.context.set_offline(True)
    page.wait_for_timeout(8_000)
    page.reload()  # offline: the copy on the phone
    assert page.locator("nav[data-nav] button.answered").count() == 1
    page.wait_for_timeout(1_500)  # the clock has ticked from the script
    shown = _shown_seconds(page)
    server_left = (attempt.deadline - timezone.now()).total_seconds()
    assert abs(shown - server_left) <= 2, (shown, server_left)
