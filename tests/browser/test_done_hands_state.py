"""On a phone, "Hoàn thành bài học" is one request: its answer brings the
next lesson's state, so the next page shows progress, the message and its
button without asking for them (page_state.js, courses.views.lesson_mark_done).
When that request is lost, the form is sent as any form: nothing is lost."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import CoursePage, LessonPage, LessonProgress
from courses.services import enrolment_create

from .test_quiz import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def on_the_first_lesson(live_server, phone, build_catalog, learner):
    """(the phone, logged in, on the first of two lessons; the two lessons)"""
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    enrolment_create(user=learner, course=course)
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    _login(phone, live_server, learner)
    phone.goto(live_server.url + lessons[0].url)
    return phone, lessons


def _state_requests(page) -> list[str]:
    asked = []
    page.on(
        "request",
        lambda request: (
            asked.append(request.url) if "/api/me/state" in request.url else None
        ),
    )
    return asked


def test_the_next_lesson_comes_with_its_state_without_asking(
    learner, on_the_first_lesson
):
    page, (_first, second) = on_the_first_lesson
    done = page.get_by_role("button", name="Hoàn thành bài học")
    expect(done).to_be_enabled()
    asked = _state_requests(page)

    done.click()
    page.wait_for_url(re.compile(re.escape(second.url) + "$"))
    expect(
        page.get_by_text("Đã hoàn thành bài học. Tiếp tục với bài sau nhé!")
    ).to_be_visible()
    expect(page.get_by_text("Đã học 1/2 bài")).to_be_visible()
    expect(page.get_by_role("button", name="Hoàn thành bài học")).to_be_enabled()
    assert asked == []
    assert LessonProgress.objects.get(user=learner, lesson=second).opened_at

    # Handed once: the page opened again asks, and the message is not repeated.
    page.reload()
    expect(page.get_by_role("button", name="Hoàn thành bài học")).to_be_enabled()
    assert len(asked) == 1
    expect(
        page.get_by_text("Đã hoàn thành bài học. Tiếp tục với bài sau nhé!")
    ).to_have_count(0)


def test_a_lost_done_request_is_sent_again_as_a_form(learner, on_the_first_lesson):
    page, (first, second) = on_the_first_lesson
    sent = []

    def lost_once(route):
        sent.append(route.request.headers.get("accept", ""))
        if len(sent) == 1:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/hoan-thanh/", lost_once)
    page.get_by_role("button", name="Hoàn thành bài học").click()
    page.wait_for_url(re.compile(re.escape(second.url) + "$"))
    expect(
        page.get_by_text("Đã hoàn thành bài học. Tiếp tục với bài sau nhé!")
    ).to_be_visible()
    expect(page.get_by_text("Đã học 1/2 bài")).to_be_visible()
    assert sent[0] == "application/json" and "text/html" in sent[1]
    assert LessonProgress.objects.get(user=learner, lesson=first).completed_at
