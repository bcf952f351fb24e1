"""The page state's shorter middleware chain (core.page_state_handler) must
answer every reader exactly as the site's full chain does: the same state,
redirects, messages, language, cookies and caching headers."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from hocvuso.accounts.middleware import MUST_CHANGE_SESSION_KEY
from hocvuso.core.page_state_handler import FREQUENT_PATHS, PAGE_STATE_PATH

from courses.models import CoursePage, LessonPage
from courses.services import enrolment_create, lesson_complete

from ..page_state_helpers import short_chain_client

COMPARED_HEADERS = (
    "Cache-Control",
    "Content-Type",
    "Content-Language",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Location",
    "Clear-Site-Data",
)


def _client(*, lean: bool) -> Client:
    return short_chain_client() if lean else Client()


def _lessons() -> list[LessonPage]:
    course = CoursePage.objects.order_by("path").first()
    return list(LessonPage.objects.child_of(course).order_by("path"))


def anonymous(client, make_learner):
    return _lessons()[0]


def enrolled(client, make_learner):
    user = make_learner()
    lessons = _lessons()
    enrolment_create(user=user, course=lessons[0].get_parent().specific)
    lesson_complete(user=user, lesson=lessons[0])
    client.force_login(user)
    return lessons[1]


def not_enrolled(client, make_learner):
    client.force_login(make_learner())
    return _lessons()[0]


def locked(client, make_learner):
    user = make_learner()
    lessons = _lessons()
    enrolment_create(user=user, course=lessons[0].get_parent().specific)
    client.force_login(user)
    return lessons[2]


def message_waiting(client, make_learner):
    user = make_learner()
    lessons = _lessons()
    enrolment_create(user=user, course=lessons[0].get_parent().specific)
    client.force_login(user)
    client.post(f"/hoc/bai-hoc/{lessons[0].pk}/hoan-thanh/")  # "Đã hoàn thành…"
    return lessons[1]


def must_change_password(client, make_learner):
    client.force_login(make_learner())
    session = client.session
    session[MUST_CHANGE_SESSION_KEY] = True
    session.save()
    return _lessons()[0]


def no_consent(client, make_learner):
    user = make_learner(consented=False)
    enrolment_create(user=user, course=_lessons()[0].get_parent().specific)
    client.force_login(user)
    return _lessons()[0]


def english(client, make_learner):
    client.cookies["django_language"] = "en"
    return enrolled(client, make_learner)


READERS = [
    anonymous,
    enrolled,
    not_enrolled,
    locked,
    message_waiting,
    must_change_password,
    no_consent,
    english,
]


def _seen(response) -> dict:
    return {
        "status": response.status_code,
        "headers": {name: response.headers.get(name) for name in COMPARED_HEADERS},
        "cookies": sorted(response.cookies),
    }


def _answer(client, page) -> dict:
    response = client.get(f"{PAGE_STATE_PATH}?page={page.pk}")
    answer = {
        **_seen(response),
        # Compressing is nginx's (deploy/nginx/hocvuso.conf), not this chain's.
        "vary": sorted(
            part.strip()
            for part in response.headers.get("Vary", "").split(",")
            if part.strip() and part.strip() != "Accept-Encoding"
        ),
    }
    if response.headers.get("Content-Type") == "application/json":
        body = response.json()
        csrf = body.pop("csrf")
        secret = client.cookies["csrftoken"].value
        answer["form token"] = (
            "the cookie's" if csrf is None else _unmask_cipher_token(csrf) == secret
        )
        answer["body"] = body
    return answer


@pytest.mark.django_db
@pytest.mark.parametrize("reader", READERS, ids=lambda reader: reader.__name__)
def test_the_short_chain_answers_as_the_full_one(build_catalog, make_learner, reader):
    build_catalog(courses=1, lessons=3)
    answers = {}
    for lean in (False, True):
        client = _client(lean=lean)
        answers[lean] = _answer(client, reader(client, make_learner))
    for part in answers[False]:
        assert (part, answers[True][part]) == (part, answers[False][part])


def _done_answer(client, lesson, *, accept: str) -> dict:
    """ "Hoàn thành bài học" (as a form, or as page_state.js sends it), then
    what the learner reads where it leads."""
    response = client.post(f"/hoc/bai-hoc/{lesson.pk}/hoan-thanh/", HTTP_ACCEPT=accept)
    answer = _seen(response)
    location = response.headers.get("Location", "")
    if response.headers.get("Content-Type") == "application/json":
        answer["body"] = response.json()
        location = answer["body"]["location"]
        if answer["body"]["state"]:
            answer["body"]["state"].pop("csrf")
    slug = location.rstrip("/").rsplit("/", 1)[-1]
    there = LessonPage.objects.filter(slug=slug).first()
    if there is not None:  # the next lesson, or a lesson to do first
        answer["state there"] = _answer(client, there)
    return answer


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
@pytest.mark.parametrize("reader", READERS, ids=lambda reader: reader.__name__)
def test_lesson_done_through_the_short_chain_answers_as_the_full_one(
    build_catalog, make_learner, reader, accept
):
    build_catalog(courses=1, lessons=3)
    answers = {}
    for lean in (False, True):
        client = _client(lean=lean)
        answers[lean] = _done_answer(
            client, reader(client, make_learner), accept=accept
        )
    assert answers[True] == answers[False]
    # Sent first to log in, to consent or to change a printed password: a
    # redirect, which the script follows, as a form or not.
    sent_first = reader in (anonymous, must_change_password, no_consent)
    json_asked = accept == "application/json" and not sent_first
    assert answers[False]["status"] == (200 if json_asked else 302)


@pytest.mark.django_db
def test_the_site_sends_only_the_frequent_requests_through_the_short_chain(
    build_catalog,
):
    from hocvuso.wsgi import application

    build_catalog(courses=1, lessons=1)
    lesson = LessonPage.objects.get()

    def headers_of(path: str) -> dict:
        got = {}

        def start_response(status, headers, exc_info=None):
            got.update(headers, status=status)

        environ = RequestFactory().get(path, HTTP_HOST="localhost").environ
        # As Django's test client does: the test's transaction stays open.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
        try:
            response = application(environ, start_response)
            b"".join(response)
            response.close()
        finally:
            for signal in (request_started, request_finished):
                signal.connect(close_old_connections)
        return got

    state = headers_of(f"{PAGE_STATE_PATH}?page={lesson.pk}")
    page = headers_of(lesson.url)
    assert state["status"] == page["status"] == "200 OK"
    assert state["Content-Type"] == "application/json"
    # A document's policy headers come from the full chain only.
    assert "Content-Security-Policy" in page
    assert "Content-Security-Policy" not in state
    for path in (
        f"/hoc/bai-hoc/{lesson.pk}/hoan-thanh/",
        "/api/attempts",
        "/api/attempts/7/answers/3",
        "/api/attempts/7/submit",
    ):
        assert FREQUENT_PATHS.fullmatch(path), path
    for path in (
        "/api/attempts/7/result",
        "/api/attempts/7",
        "/api/media/heartbeat",
        "/api/me/state/",
        "/hoc/bai-hoc/7/hoan-thanh",
        "/hoc/cua-toi/",
        "/cms/",
    ):
        assert not FREQUENT_PATHS.fullmatch(path), path


@pytest.mark.django_db
def test_the_form_token_comes_with_the_state_only_to_a_reader_without_its_cookie(
    build_catalog, make_learner
):
    """page_state.js puts the csrftoken cookie's value in the page's forms;
    the state carries a (masked) token only when there is no cookie yet."""
    build_catalog(courses=1, lessons=3)
    client = Client(enforce_csrf_checks=True)
    lesson = enrolled(client, make_learner)
    first = client.get(f"{PAGE_STATE_PATH}?page={lesson.pk}")
    secret = first.cookies["csrftoken"].value
    assert _unmask_cipher_token(first.json()["csrf"]) == secret
    again = client.get(f"{PAGE_STATE_PATH}?page={lesson.pk}")
    assert again.json()["csrf"] is None
    assert "csrftoken" not in again.cookies
    # The cookie's value, as the script sends it, is accepted.
    done = client.post(
        f"/hoc/bai-hoc/{lesson.pk}/hoan-thanh/", {"csrfmiddlewaretoken": secret}
    )
    assert done.status_code == 302
