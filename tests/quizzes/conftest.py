from datetime import timedelta

import pytest

from courses.models import CoursePage
from quizzes.models import Choice, Question, QuizPage


def add_question(
    course, *, kind="single", n_choices=4, correct=(0,), partial=False, tag=""
):
    question = Question(
        course=course,
        kind=kind,
        text=f"Câu hỏi thử {Question.objects.count() + 1}?",
        explanation="Vì đó là đáp án đúng.",
        partial_credit=partial,
        tags=tag,
    )
    question.choices = [
        Choice(text=f"Lựa chọn {i + 1}", correct=i in correct, sort_order=i)
        for i in range(n_choices)
    ]
    question.save()
    return question


@pytest.fixture
def make_quiz(build_catalog):
    """make_quiz(questions=12, draw=10, time_limit=timedelta(minutes=15), **settings)."""

    def make(*, questions: int = 12, draw: int = 10, **fields) -> QuizPage:
        if not CoursePage.objects.exists():
            build_catalog(courses=1, lessons=2)
        course = CoursePage.objects.order_by("path").first()
        for i in range(questions):
            add_question(
                course,
                kind="multiple" if i % 4 == 3 else "single",
                correct=(0, 2) if i % 4 == 3 else (i % 4,),
            )
        fields.setdefault("time_limit", timedelta(minutes=15))
        quiz = QuizPage(
            title="Bài kiểm tra cuối khóa",
            slug=f"kiem-tra-{QuizPage.objects.count()}",
            question_count=draw,
            **fields,
        )
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
        return quiz

    return make


def correct_choices(attempt, question_id: int) -> list[int]:
    return sorted(
        Choice.objects.filter(question_id=question_id, correct=True).values_list(
            "pk", flat=True
        )
    )


def wrong_choice(attempt, question_id: int) -> list[int]:
    return [
        Choice.objects.filter(question_id=question_id, correct=False)
        .values_list("pk", flat=True)
        .first()
    ]
