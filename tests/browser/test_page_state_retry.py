"""On a phone's flaky connection the page state's one request may fail:
page_state.js asks again (a few times, further apart), so the learner's
button comes without a reload."""

import pytest
from playwright.sync_api import expect

from courses.models import CoursePage, LessonPage
from courses.services import enrolment_create

from .test_quiz import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lost_state_request_is_asked_again(
    live_server, phone, build_catalog, learner
):
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    enrolment_create(user=learner, course=course)
    page = phone
    _login(page, live_server, learner)

    asked = []

    def flaky(route):
        asked.append(route.request.url)
        if len(asked) == 1:
            route.abort("connectionreset")
        elif len(asked) == 2:
            route.fulfill(status=502, body="Bad Gateway")
        else:
            route.continue_()

    page.route("**/api/me/state?*", flaky)
    page.goto(live_server.url + lesson.url)
    # The shared page shows the button waiting; the third request enables it.
    button = page.get_by_role("button", name="Hoàn thành bài học")
    expect(button).to_be_disabled()
    expect(button).to_be_enabled(timeout=10_000)
    assert len(asked) == 3
