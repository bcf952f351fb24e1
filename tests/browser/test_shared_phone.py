"""A phone shared by a family or a classroom: the next learner must not get
the previous one's result page (their answers and the keys) from the offline
cache, nor their unsent answers."""

import pytest
from django.conf import settings

from .test_quiz import _answer, _login, _start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFLINE_DATA = """async () => ({
  caches: (await caches.keys()).length,
  saved: Object.keys(localStorage).filter((k) => k.startsWith("hocvuso:")).length,
  workers: (await navigator.serviceWorker.getRegistrations()).length,
})"""


def _finish_a_test(page, live_server, learner, make_quiz) -> str:
    quiz = make_quiz(questions=2, draw=2)
    _login(page, live_server, learner)
    attempt = _start(page, live_server, quiz)
    _answer(page, attempt, 0, right=True)
    page.get_by_role("button", name="Nộp bài").last.click()
    page.locator("dialog[data-confirm] button[value=submit]").click()
    page.wait_for_url("**/kiem-tra/ket-qua/**")
    page.locator("[data-score]").wait_for()
    return page.url


def _offline_copy_shows_score(page, url: str) -> bool:
    page.context.set_offline(True)
    try:
        page.goto(url)
    except Exception:  # noqa: BLE001 — no copy at all: the network error page
        return False
    finally:
        page.context.set_offline(False)
    return page.locator("[data-score]").count() > 0


def test_log_out_clears_the_offline_copies(live_server, phone, learner, make_quiz):
    page = phone
    result_url = _finish_a_test(page, live_server, learner, make_quiz)
    page.goto(live_server.url + "/")
    wait = page.evaluate(OFFLINE_DATA)
    assert wait["caches"] and wait["workers"]  # what there is to clear
    assert _offline_copy_shows_score(page, result_url)

    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate(OFFLINE_DATA) == {"caches": 0, "saved": 0, "workers": 0}
    assert not _offline_copy_shows_score(page, result_url)


def test_another_learners_log_in_clears_the_offline_copies(
    live_server, phone, make_learner, make_quiz
):
    page = phone
    first, second = make_learner(), make_learner()
    _finish_a_test(page, live_server, first, make_quiz)
    page.goto(live_server.url + "/")
    assert page.evaluate(OFFLINE_DATA)["caches"]
    # The first learner never logged out; their session ran out.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)

    _login(page, live_server, second)
    assert page.evaluate(OFFLINE_DATA) == {"caches": 0, "saved": 0, "workers": 0}


def test_the_same_learner_logging_in_again_keeps_their_offline_answers(
    live_server, phone, learner, make_quiz
):
    page = phone
    _finish_a_test(page, live_server, learner, make_quiz)
    page.goto(live_server.url + "/")
    page.evaluate("localStorage.setItem('hocvuso:attempt:99', '{}')")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)

    _login(page, live_server, learner)
    assert page.evaluate(OFFLINE_DATA)["saved"] == 1
