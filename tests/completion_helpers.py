"""Walk a learner through a course the way the pages do: enrol, complete
each lesson, pass (or fail) the final test."""

from courses.models import CoursePage, LessonPage
from courses.services import enrolment_create, lesson_complete
from quizzes.models import Choice
from quizzes.services import SubmittedAnswer, attempt_start, attempt_submit


def lessons_complete(user, course: CoursePage, *, only_required: bool = False):
    enrolment_create(user=user, course=course)
    lessons = LessonPage.objects.live().child_of(course).order_by("path")
    for lesson in lessons:
        if only_required and not lesson.required:
            continue
        lesson_complete(user=user, lesson=lesson)


def final_test_take(user, quiz, *, right: bool = True):
    attempt = attempt_start(user=user, quiz=quiz)
    answers = []
    for seq, qid in enumerate(attempt.question_ids, start=1):
        choices = Choice.objects.filter(question_id=qid, correct=right)
        ids = list(choices.values_list("pk", flat=True))
        answers.append(
            SubmittedAnswer(
                question_id=qid, choice_ids=ids if right else ids[:1], seq=seq
            )
        )
    return attempt_submit(attempt=attempt, answers=answers)
