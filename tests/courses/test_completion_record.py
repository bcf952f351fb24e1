"""Completion is recorded once, with its time and score, and announced once."""

import pytest
from django.utils import timezone

from courses.models import (
    CourseCompletion,
    CoursePage,
    LessonPage,
    ProgrammeCompletion,
    ProgrammeCourse,
    ProgrammePage,
)
from courses.services import course_completion_check
from courses.signals import course_completed, programme_completed
from tests.completion_helpers import final_test_take, lessons_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    got = []

    def course(sender, completion, **kw):
        got.append(("course", completion.user_id, completion.course_id))

    def programme(sender, completion, **kw):
        got.append(("programme", completion.user_id, completion.programme_id))

    course_completed.connect(course, dispatch_uid="test-course")
    programme_completed.connect(programme, dispatch_uid="test-programme")
    yield got
    course_completed.disconnect(dispatch_uid="test-course")
    programme_completed.disconnect(dispatch_uid="test-programme")


def test_lessons_then_passed_test_complete_the_course_once(
    learner, make_quiz, announced, django_capture_on_commit_callbacks
):
    quiz = make_quiz(questions=4, draw=4)
    course = CoursePage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        lessons_complete(learner, course)
    assert not CourseCompletion.objects.exists()  # the test is still to pass
    with django_capture_on_commit_callbacks(execute=True):
        attempt = final_test_take(learner, quiz)
    completion = CourseCompletion.objects.get()
    assert (completion.user, completion.course) == (learner, course)
    assert completion.completed_at == attempt.finished_at
    assert completion.score_percent == 100
    assert announced == [("course", learner.pk, course.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        course_completion_check(user=learner, course=course, now=timezone.now())
        lessons_complete(learner, course)
    assert CourseCompletion.objects.count() == 1
    assert announced == [("course", learner.pk, course.pk)]


def test_failed_test_does_not_complete(learner, make_quiz, announced):
    quiz = make_quiz(questions=4, draw=4)
    lessons_complete(learner, CoursePage.objects.get())
    final_test_take(learner, quiz, right=False)
    assert not CourseCompletion.objects.exists()


def test_passing_first_then_finishing_lessons_completes(learner, make_quiz):
    quiz = make_quiz(questions=4, draw=4)
    course = CoursePage.objects.get()
    final_test_take(learner, quiz)
    assert not CourseCompletion.objects.exists()
    lessons_complete(learner, course)
    assert CourseCompletion.objects.get().score_percent == 100


def test_optional_lessons_do_not_count(learner, build_catalog):
    build_catalog(courses=1, lessons=3)
    course = CoursePage.objects.get()
    optional = LessonPage.objects.child_of(course).order_by("path").last()
    optional.required = False
    optional.save_revision().publish()
    course.lessons_in_order = False
    course.save_revision().publish()
    lessons_complete(learner, course, only_required=True)
    completion = CourseCompletion.objects.get()
    assert completion.score_percent is None  # no test in this course


def test_rule_without_test_requirement(learner, make_quiz):
    make_quiz(questions=4, draw=4)
    course = CoursePage.objects.get()
    course.completion_requires_test = False
    course.save_revision().publish()
    lessons_complete(learner, CoursePage.objects.get())
    assert CourseCompletion.objects.filter(user=learner).exists()


def test_rule_test_only(learner, make_quiz):
    quiz = make_quiz(questions=4, draw=4)
    course = CoursePage.objects.get()
    course.completion_requires_lessons = False
    course.save_revision().publish()
    final_test_take(learner, quiz)
    assert CourseCompletion.objects.filter(user=learner).exists()


def test_programme_completes_with_its_last_course(
    learner, build_catalog, announced, django_capture_on_commit_callbacks
):
    catalog = build_catalog(courses=2, lessons=1)
    first, second = CoursePage.objects.order_by("topic_number")
    programme = ProgrammePage(title="Chương trình thử", audience="both", summary="…")
    catalog.add_child(instance=programme)
    for course in (first, second):
        ProgrammeCourse.objects.create(programme=programme, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        lessons_complete(learner, first)
    assert not ProgrammeCompletion.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        lessons_complete(learner, second)
    assert ProgrammeCompletion.objects.get().programme == programme
    assert announced == [
        ("course", learner.pk, first.pk),
        ("course", learner.pk, second.pk),
        ("programme", learner.pk, programme.pk),
    ]
