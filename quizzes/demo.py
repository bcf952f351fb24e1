"""Demo final tests from quizzes/demo_content/topic-N.json (idempotent)."""

import json
from datetime import timedelta
from pathlib import Path

from django.db import transaction

from courses.models import CoursePage

from .models import Question, QuizPage
from .question_import import ParsedQuestion
from .services import question_create

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"


def quiz_definitions_load(content_dir: Path = CONTENT_DIR) -> dict[int, dict]:
    return {
        (d := json.loads(f.read_text(encoding="utf-8")))["topic"]: d
        for f in sorted(content_dir.glob("topic-*.json"))
    }


@transaction.atomic
def demo_quiz_create(*, course: CoursePage, definition: dict) -> int:
    """The course's question bank and its final test, unless they exist.
    Returns how many objects were created."""
    created = 0
    if not Question.objects.filter(course=course).exists():
        for item in definition["questions"]:
            question_create(
                course=course,
                question=ParsedQuestion(
                    kind=item["kind"],
                    text=item["text"],
                    explanation=item["explanation"],
                    tags=",".join(item.get("tags", [])),
                    difficulty=item.get("difficulty", ""),
                    source_url=item.get("source_url", ""),
                    partial_credit=item.get("partial_credit", False),
                    choices=[(c["text"], c["correct"]) for c in item["choices"]],
                ),
            )
            created += 1
    if not QuizPage.objects.child_of(course).exists():
        quiz = QuizPage(
            title=definition["title"],
            slug="bai-kiem-tra",
            intro="Bài kiểm tra cuối khóa gồm các câu hỏi chọn ngẫu nhiên từ ngân hàng câu hỏi "
            "của khóa học. Bạn cần đạt từ 70% để hoàn thành khóa học.",
            time_limit=timedelta(minutes=15),
            question_count=10,
            pass_mark=70,
            attempts_allowed=3,
        )
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
        created += 1
    return created


def demo_quizzes_seed() -> int:
    definitions = quiz_definitions_load()
    return sum(
        demo_quiz_create(course=course, definition=definitions[course.topic_number])
        for course in CoursePage.objects.filter(topic_number__in=definitions)
    )
