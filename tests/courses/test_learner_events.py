"""The report's figures hear of learning through settings-named hooks
(courses/learner_events.py): the root apps import nothing of the platform's
reports, and the hook runs inside the event's own transaction, so a failing
refresh takes the event back with it and a committed event is counted."""

import ast
from pathlib import Path

import pytest
from django.test import override_settings

from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress
from courses.selectors import lesson_context_get
from courses.services import enrolment_create, lesson_complete, lesson_open
from quizzes.models import Attempt, AttemptStatus
from quizzes.services import attempt_start, attempt_submit

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CALLS: list[dict] = []


class HookFailed(Exception):
    pass


def record(**kwargs) -> None:
    """Stands in for the reports: what it could see of the event."""
    kwargs["enrolled"] = Enrolment.objects.exists()
    kwargs["progress"] = LessonProgress.objects.count()
    kwargs["finished"] = Attempt.objects.filter(status=AttemptStatus.FINISHED).exists()
    CALLS.append(kwargs)


def fail(**kwargs) -> None:
    raise HookFailed


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()
    yield
    CALLS.clear()


def test_root_apps_import_nothing_of_the_platform_reports():
    offenders = []
    for app in ("courses", "quizzes", "certificates"):
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module] + [
                        f"{node.module}.{a.name}" for a in node.names
                    ]
                if any(n.startswith("hocvuso.reports") for n in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


HOOKS = {
    "COURSES_LEARNERS_CHANGED": "tests.courses.test_learner_events.record",
    "COURSES_LESSON_OPENED": "tests.courses.test_learner_events.record",
}


def test_hooks_run_inside_the_events_transaction_and_see_its_rows(
    build_catalog, learner
):
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    lesson = LessonPage.objects.child_of(course).first()
    with override_settings(**HOOKS):
        enrolment_create(user=learner, course=course)
        lesson_open(user=learner, ctx=lesson_context_get(lesson=lesson, user=learner))
    assert [c["user_ids"] for c in CALLS[:1]] == [[learner.pk]]
    assert CALLS[0]["enrolled"]
    assert CALLS[1] | {"at": None} == {
        "user_id": learner.pk,
        "course_id": course.pk,
        "at": None,
        "enrolled": True,
        "progress": 1,
        "finished": False,
    }


def test_a_failing_hook_takes_the_enrolment_and_the_lesson_back(build_catalog, learner):
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    with (
        override_settings(
            COURSES_LEARNERS_CHANGED="tests.courses.test_learner_events.fail"
        ),
        pytest.raises(HookFailed),
    ):
        enrolment_create(user=learner, course=course)
    assert not Enrolment.objects.exists()
    enrolment_create(user=learner, course=course)
    lesson = LessonPage.objects.child_of(course).first()
    with (
        override_settings(
            COURSES_LESSON_OPENED="tests.courses.test_learner_events.fail"
        ),
        pytest.raises(HookFailed),
    ):
        lesson_complete(user=learner, lesson=lesson)
    assert not LessonProgress.objects.exists()


def test_a_failing_hook_leaves_the_submitted_attempt_open(make_quiz, learner):
    quiz = make_quiz(questions=2, draw=2)
    enrolment_create(user=learner, course=quiz.get_parent().specific)
    attempt = attempt_start(user=learner, quiz=quiz)
    with (
        override_settings(
            COURSES_LEARNERS_CHANGED="tests.courses.test_learner_events.fail"
        ),
        pytest.raises(HookFailed),
    ):
        attempt_submit(attempt=attempt, answers=[])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN
    with override_settings(**HOOKS):
        attempt_submit(attempt=attempt, answers=[])
    assert CALLS[-1]["finished"]


def test_an_empty_setting_turns_the_hook_off(build_catalog, learner):
    build_catalog(courses=1, lessons=2)
    with override_settings(COURSES_LEARNERS_CHANGED=""):
        enrolment_create(user=learner, course=CoursePage.objects.get())
    assert Enrolment.objects.exists() and CALLS == []
