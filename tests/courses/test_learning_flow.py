"""Enrol → open a lesson → "Hoàn thành bài học" → next lesson, through the
pages a learner uses."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress

from ..page_state_helpers import page_state, visit

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def course(build_catalog):
    build_catalog(courses=1, lessons=4)
    return CoursePage.objects.get()


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))


def test_course_page_shows_objectives_lessons_and_an_enrol_button(client, course):
    response = client.get(course.url)
    body = text(response)
    assert response.status_code == 200
    assert "Đăng ký học" in body
    assert "Hiểu nội dung thử nghiệm" in body
    assert all(lesson.title in body for lesson in lessons_of(course))


def test_anonymous_enrol_goes_to_login(client, course):
    response = client.post(f"/hoc/khoa-hoc/{course.pk}/dang-ky/")
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/login/")
    assert not Enrolment.objects.exists()


def test_enrol_once_then_complete_lessons_in_order(client, course, learner):
    client.force_login(learner)
    first, second, third, _fourth = lessons_of(course)
    response = client.post(f"/hoc/khoa-hoc/{course.pk}/dang-ky/")
    assert response["Location"] == first.url
    client.post(f"/hoc/khoa-hoc/{course.pk}/dang-ky/")
    assert Enrolment.objects.filter(user=learner).count() == 1

    # The third lesson is locked until the second is done: the page sends
    # the learner back to the course, which says why.
    assert page_state(client, third)["redirect"] == course.url
    assert (
        "Hãy hoàn thành bài “Bài 1 của khóa 1” trước."
        in (page_state(client, course)["parts"]["messages"])
    )
    response = client.post(f"/hoc/bai-hoc/{third.pk}/hoan-thanh/")
    assert not LessonProgress.objects.filter(lesson=third).exists()

    body, state = visit(client, first)
    assert state["redirect"] is None
    assert "Hoàn thành bài học" in body and "Đã học 0/4 bài" in body
    progress = LessonProgress.objects.get(user=learner, lesson=first)
    assert progress.opened_at and progress.completed_at is None

    response = client.post(f"/hoc/bai-hoc/{first.pk}/hoan-thanh/")
    assert response["Location"] == second.url
    body, _state = visit(client, course)
    assert "Đã học 1/4 bài" in body and "Tiếp tục học" in body

    # Completing twice keeps the first completion time.
    first_done_at = LessonProgress.objects.get(lesson=first).completed_at
    client.post(f"/hoc/bai-hoc/{first.pk}/hoan-thanh/")
    assert LessonProgress.objects.get(lesson=first).completed_at == first_done_at


def test_lesson_needs_enrolment(client, course, learner):
    client.force_login(learner)
    first = lessons_of(course)[0]
    assert page_state(client, first)["redirect"] == course.url
    assert "Hãy bấm “Đăng ký học”" in page_state(client, course)["parts"]["messages"]
    assert not LessonProgress.objects.exists()


def test_anyone_reads_a_lesson_and_is_offered_to_log_in(client, course):
    first = lessons_of(course)[0]
    body, state = visit(client, first)
    assert first.title in body and state["redirect"] is None
    assert "Đăng nhập để lưu tiến độ" in body
    assert f"/tai-khoan/login/?next={first.url.replace('/', '%2F')}" in body
    assert not LessonProgress.objects.exists()


def test_a_lesson_page_is_the_same_for_every_reader(client, course, learner):
    first = lessons_of(course)[0]
    anonymous = client.get(first.url)
    client.force_login(learner)
    client.post(f"/hoc/khoa-hoc/{course.pk}/dang-ky/")
    client.post(f"/hoc/bai-hoc/{first.pk}/hoan-thanh/")
    logged_in = client.get(first.url)
    assert logged_in.content == anonymous.content
    assert learner.get_full_name() not in logged_in.content.decode()
    assert "csrftoken" not in logged_in.cookies and not logged_in.cookies
    assert "Cookie" not in logged_in.get("Vary", "")
    assert "public" in logged_in["Cache-Control"]
    assert logged_in["X-Accel-Expires"] == "60"


def test_lesson_needs_consent_first(client, course, make_learner):
    user = make_learner(consented=False)
    client.force_login(user)
    Enrolment.objects.create(
        user=user,
        course=course,
        enrolled_at="2026-01-05T08:00Z",
        last_activity_at="2026-01-05T08:00Z",
    )
    first = lessons_of(course)[0]
    assert page_state(client, first)["redirect"].startswith(
        f"/tai-khoan/dong-y/?next={first.url.replace('/', '%2F')}"
    )


@pytest.fixture
def enrolled_in_one_lesson(client, build_catalog, learner):
    """A course of one lesson, the learner logged in and enrolled in it."""
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    client.force_login(learner)
    client.post(f"/hoc/khoa-hoc/{course.pk}/dang-ky/")
    return course


def test_last_lesson_done_congratulates_and_returns_to_course(
    client, enrolled_in_one_lesson
):
    course = enrolled_in_one_lesson
    only = lessons_of(course)[0]
    response = client.post(f"/hoc/bai-hoc/{only.pk}/hoan-thanh/")
    assert response["Location"] == course.url
    body, _state = visit(client, course)
    assert "Chúc mừng! Bạn đã học xong tất cả các bài của khóa học." in body
    assert "Đã học 1/1 bài" in body


def test_home_offers_to_continue_where_the_learner_stopped(client, course, learner):
    client.force_login(learner)
    client.post(f"/hoc/khoa-hoc/{course.pk}/dang-ky/")
    first, second, *_ = lessons_of(course)
    client.post(f"/hoc/bai-hoc/{first.pk}/hoan-thanh/")
    body = text(client.get("/"))
    assert "Tiếp tục học" in body
    assert f'href="{second.url}"' in body

    body = text(client.get("/hoc/cua-toi/"))
    assert course.title in body and "Đã học 1/4 bài" in body


def test_enrol_before_consent_comes_back_to_the_course_page(
    client, course, make_learner
):
    client.force_login(make_learner(consented=False))
    response = client.post(
        f"/hoc/khoa-hoc/{course.pk}/dang-ky/",
        HTTP_REFERER=f"http://testserver{course.url}",
    )
    assert (
        response["Location"]
        == f"/tai-khoan/dong-y/?next={course.url.replace('/', '%2F')}"
    )
    response = client.post("/tai-khoan/dong-y/", {"agree": "on", "next": course.url})
    assert response["Location"] == course.url
    assert client.get(course.url).status_code == 200


def test_viewing_a_lesson_again_writes_nothing_but_a_new_lesson_moves_the_resume(
    client, course, learner
):
    client.force_login(learner)
    first, second, *_ = lessons_of(course)
    client.post(f"/hoc/khoa-hoc/{course.pk}/dang-ky/")
    page_state(client, first)
    with CaptureQueriesContext(connection) as again:
        page_state(client, first)
    writes = [
        q["sql"]
        for q in again.captured_queries
        if q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []
    client.post(f"/hoc/bai-hoc/{first.pk}/hoan-thanh/")
    page_state(client, second)
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.last_lesson_id == second.pk
    assert LessonProgress.objects.get(user=learner, lesson=second).opened_at


@pytest.mark.parametrize(
    "raw", ["", "x", "-1", "1e9", "٣", "1\x00", "9" * 30, "0", "99999999", "1;DROP"]
)
def test_the_page_state_refuses_hostile_page_ids_calmly(client, learner, raw):
    client.force_login(learner)
    response = client.get("/api/me/state", {"page": raw})
    assert response.status_code == 200
    state = response.json()
    assert state["redirect"] is None and set(state["parts"]) >= {"nav", "logout"}
    assert "actions" not in state["parts"]


def _done_by_script(client, lesson):
    """ "Hoàn thành bài học" as page_state.js sends it (fetch, JSON asked)."""
    return client.post(
        f"/hoc/bai-hoc/{lesson.pk}/hoan-thanh/", HTTP_ACCEPT="application/json"
    )


def test_done_sent_by_the_script_brings_the_next_lessons_state(
    client, course, make_learner
):
    """One request per lesson from a phone: the answer to "done" carries the
    next lesson's state, which the next page then needs not ask for."""
    first, second, *_ = lessons_of(course)
    twin = Client()
    for reader in (client, twin):
        reader.force_login(make_learner())
        reader.post(f"/hoc/khoa-hoc/{course.pk}/dang-ky/")
        page_state(reader, first)

    response = _done_by_script(client, first)
    assert response.status_code == 200
    answer = response.json()
    assert answer["location"] == second.url
    assert answer["page"] == second.pk
    state = answer["state"]
    assert (
        "Đã hoàn thành bài học. Tiếp tục với bài sau nhé!" in state["parts"]["messages"]
    )
    assert "Đã học 1/4 bài" in state["parts"]["progress"]
    assert "Hoàn thành bài học" in state["parts"]["actions"]
    # The same state as the page would have asked for, opening included.
    twin.post(f"/hoc/bai-hoc/{first.pk}/hoan-thanh/")
    asked = page_state(twin, second)
    for answered in (state, asked):
        answered.pop("csrf")
    assert state == asked
    assert (
        LessonProgress.objects.filter(lesson=second, opened_at__isnull=False).count()
        == 2
    )
    assert Enrolment.objects.filter(last_lesson=second).count() == 2
    # The message was shown once, with that state.
    assert "messages" not in page_state(client, second)["parts"]


def test_the_last_lesson_done_by_the_script_brings_the_course_pages_state(
    client, enrolled_in_one_lesson
):
    course = enrolled_in_one_lesson
    answer = _done_by_script(client, lessons_of(course)[0]).json()
    assert (answer["location"], answer["page"]) == (course.url, course.pk)
    assert "Chúc mừng!" in answer["state"]["parts"]["messages"]


def test_done_refused_by_the_script_says_where_to_go_and_nothing_more(
    client, course, learner
):
    """A locked lesson or no enrolment: the page there asks for its own
    state, which shows why."""
    client.force_login(learner)
    third = lessons_of(course)[2]
    answer = _done_by_script(client, third).json()
    assert answer == {"location": course.url, "page": None, "state": None}
    assert "Hãy bấm “Đăng ký học”" in page_state(client, course)["parts"]["messages"]
    client.post(f"/hoc/khoa-hoc/{course.pk}/dang-ky/")
    answer = _done_by_script(client, third).json()
    assert answer == {"location": course.url, "page": None, "state": None}
    assert "Hãy hoàn thành bài" in page_state(client, course)["parts"]["messages"]
    assert not LessonProgress.objects.filter(lesson=third).exists()
