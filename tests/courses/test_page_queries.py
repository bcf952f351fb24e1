"""Catalogue, course and lesson pages run a small, fixed number of queries:
the same with 7 courses × 5 lessons as with 20 × 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CatalogPage, CoursePage, LessonPage, LessonProgress
from courses.page_cache import live_page
from courses.services import enrolment_create, lesson_complete

from ..page_state_helpers import short_chain_client

MAX_QUERIES = 7  # was 10 before sites, routes and restrictions were cached


def _queries(client, url: str) -> int:
    client.get(url)  # warm-up: renditions are created on first view
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _page_query_counts(
    client, build_catalog, learner, *, courses, lessons
) -> dict[str, int]:
    build_catalog(courses=courses, lessons=lessons)
    catalog = CatalogPage.objects.get()
    course = CoursePage.objects.order_by("path").last()
    course_lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    for other in CoursePage.objects.all():
        enrolment_create(user=learner, course=other)
    for lesson in course_lessons[:2]:
        lesson_complete(user=learner, lesson=lesson)
    client.force_login(learner)
    return {
        "home": _queries(client, "/"),
        "catalog": _queries(client, catalog.url),
        "course": _queries(client, course.url),
        "lesson": _queries(client, course_lessons[2].url),
        "my_courses": _queries(client, "/hoc/cua-toi/"),
    }


@pytest.mark.django_db
def test_page_queries_are_few_and_do_not_grow_with_content(
    client, build_catalog, make_learner, django_db_blocker
):
    small = _page_query_counts(
        client, build_catalog, make_learner(), courses=7, lessons=5
    )
    for model in (LessonPage, CoursePage):
        for page in model.objects.all():
            page.delete()
    large = _page_query_counts(
        client, build_catalog, make_learner(), courses=20, lessons=20
    )
    print(f"queries per page, 7×5: {small}; 20×20: {large}")
    assert max(small.values()) <= MAX_QUERIES, small
    assert small == large


STATE_VIEWED_AGAIN_QUERIES = 2  # the user; the learner's rows (learner_rows)
STATE_FIRST_OPENING_QUERIES = 5


@pytest.mark.django_db
def test_a_lesson_state_viewed_again_reads_the_user_and_one_statement(
    client, build_catalog, make_learner
):
    """What every view of a shared lesson costs the database once the page
    is in the process: the course, its outline and the page come from memory,
    the enrolment, progress and video positions from one statement."""
    build_catalog(courses=2, lessons=5)
    learner = make_learner()
    course = CoursePage.objects.order_by("path").first()
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    enrolment_create(user=learner, course=course)
    lesson_complete(user=learner, lesson=lessons[0])
    client.force_login(learner)
    url = f"/api/me/state?page={lessons[1].pk}"
    assert _queries(client, url) == STATE_VIEWED_AGAIN_QUERIES
    state = client.get(url).json()
    assert state["redirect"] is None
    assert "Hoàn thành bài học" in state["parts"]["actions"]


@pytest.mark.django_db
def test_a_first_opening_by_a_learner_in_no_unit_takes_no_report_lock(
    client, build_catalog, make_learner
):
    """A learner who skipped the place step is in no report's scope (the
    figures count learners by unit), so opening a new lesson reads whether
    they count and stops there: no lock on their row, no figure written."""
    build_catalog(courses=1, lessons=3)
    learner = make_learner()
    course = CoursePage.objects.get()
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    enrolment_create(user=learner, course=course)
    lesson_complete(user=learner, lesson=lessons[0])
    client.force_login(learner)
    client.get(f"/api/me/state?page={lessons[0].pk}")  # pages into memory
    live_page(lessons[1].pk)
    with CaptureQueriesContext(connection) as captured:
        state = client.get(f"/api/me/state?page={lessons[1].pk}").json()
    assert state["redirect"] is None
    assert LessonProgress.objects.filter(user=learner, lesson=lessons[1]).exists()
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [q for q in sql if "FOR UPDATE" in q], sql
    assert not [q for q in sql if "reports_" in q and not q.startswith("SELECT")]
    # The user; the learner's rows; the new row; whether the reports count
    # them (their facts and their unit, one statement); the resume position.
    # (The savepoint is the test's transaction.)
    statements = [q for q in sql if not q.startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == STATE_FIRST_OPENING_QUERIES, statements


@pytest.mark.django_db
def test_a_course_pages_state_finds_the_site_in_memory(build_catalog, make_learner):
    """The header's look (province_sites.request_look) needs the request's
    site; the page state's short chain has no site middleware, so the site
    must come from the process's cache, not from a query per state."""
    build_catalog(courses=1, lessons=2)
    learner = make_learner()
    course = CoursePage.objects.get()
    enrolment_create(user=learner, course=course)
    client = short_chain_client()  # as the site's WSGI application sends it
    client.force_login(learner)
    url = f"/api/me/state?page={course.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        state = client.get(url).json()
    assert "Đã học 0/2 bài" in state["parts"]["status"] + state["parts"]["lessons"]
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [q for q in sql if "wagtailcore_site" in q], sql
