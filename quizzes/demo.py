"""Demo final tests from quizzes/demo_content/topic-N.json.

A question in a file has a stable "key"; one without a key is known by its
text. Seeding a new edition updates the question with that key in place, so
learners' attempts keep pointing at it; adds new questions; and removes from
the bank the demo questions the edition dropped: keyed ones no longer in the
file, and unkeyed ones (the first edition had no keys) whose text is listed
in retired.json. Other questions an editor added in the CMS are left alone.
Seeding the same edition twice changes nothing.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.db import transaction

from courses.demo import SeedCounts
from courses.models import CoursePage

from .models import Choice, Question, QuizPage

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
RETIRED_FILE = "retired.json"

QUIZ_INTRO = (
    "Bài kiểm tra cuối khóa gồm các câu hỏi chọn ngẫu nhiên từ ngân hàng câu hỏi "
    "của khóa học. Bạn cần đạt từ 70% để hoàn thành khóa học."
)


def quiz_definitions_load(content_dir: Path = CONTENT_DIR) -> dict[int, dict]:
    retired_path = content_dir / RETIRED_FILE
    retired = (
        json.loads(retired_path.read_text(encoding="utf-8"))
        if retired_path.exists()
        else {}
    )
    definitions = {}
    for f in sorted(content_dir.glob("topic-*.json")):
        definition = json.loads(f.read_text(encoding="utf-8"))
        definition.setdefault("retired", retired.get(str(definition["topic"]), []))
        definitions[definition["topic"]] = definition
    return definitions


def _fields(item: dict) -> dict:
    """The question's stored fields as the file gives them. A source is
    {"title", "url"}; older files give only "source_url"."""
    source = item.get("source") or {}
    return {
        "kind": item["kind"],
        "text": item["text"],
        "explanation": item["explanation"],
        "tags": ",".join(item.get("tags", [])),
        "difficulty": item.get("difficulty", ""),
        "partial_credit": item.get("partial_credit", False),
        "source_title": source.get("title", ""),
        "source_url": source.get("url", item.get("source_url", "")),
    }


def _choices(item: dict) -> list[tuple[str, bool]]:
    return [(c["text"], c["correct"]) for c in item["choices"]]


def _question_write(question: Question, item: dict) -> None:
    """Set the fields and choices; choices are rewritten position by position
    so that their ids, which attempts refer to, stay the same."""
    for name, value in _fields(item).items():
        setattr(question, name, value)
    question.save()
    existing = list(question.choices.order_by("sort_order", "pk"))
    for i, (text, correct) in enumerate(_choices(item)):
        if i < len(existing):
            choice = existing[i]
            choice.text, choice.correct, choice.sort_order = text, correct, i
            choice.save()
        else:
            Choice.objects.create(
                question=question, text=text, correct=correct, sort_order=i
            )
    Choice.objects.filter(
        pk__in=[c.pk for c in existing[len(item["choices"]) :]]
    ).delete()


def _same(question: Question, item: dict) -> bool:
    stored = {name: getattr(question, name) for name in _fields(item)}
    choices = [
        (c.text, c.correct) for c in question.choices.order_by("sort_order", "pk")
    ]
    return stored == _fields(item) and choices == _choices(item)


@transaction.atomic
def demo_quiz_create(*, course: CoursePage, definition: dict) -> SeedCounts:
    """Bring the course's demo question bank and final test to this edition."""
    counts = SeedCounts()
    bank = {q.key: q for q in Question.objects.filter(course=course).exclude(key="")}
    unkeyed = {q.text: q for q in Question.objects.filter(course=course, key="")}
    wanted = set()
    for item in definition["questions"]:
        key = item.get("key", "")
        wanted.add(key)
        question = bank.get(key) if key else None
        if question is None and item["text"] in unkeyed:
            question = unkeyed.pop(item["text"])
            if key:  # seeded by an edition without keys: it gets its key now
                question.key = key
                question.save(update_fields=["key"])
        if question is None:
            _question_write(Question(course=course, key=key), item)
            counts.created += 1
        elif _same(question, item):
            counts.unchanged += 1
        else:
            _question_write(question, item)
            counts.updated += 1
    dropped = [q.pk for key, q in bank.items() if key not in wanted]
    dropped += [
        q.pk for text, q in unkeyed.items() if text in definition.get("retired", [])
    ]
    if dropped:
        # Attempts keep their scores; their review leaves these questions out.
        Question.objects.filter(pk__in=dropped).delete()
        counts.retired += len(dropped)
    if QuizPage.objects.child_of(course).exists():
        counts.unchanged += 1
    else:
        quiz = QuizPage(
            title=definition["title"],
            slug="bai-kiem-tra",
            intro=QUIZ_INTRO,
            time_limit=timedelta(minutes=15),
            question_count=10,
            pass_mark=70,
            attempts_allowed=3,
        )
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
        counts.created += 1
    return counts


def demo_quizzes_seed() -> SeedCounts:
    definitions = quiz_definitions_load()
    total = SeedCounts()
    for course in CoursePage.objects.filter(topic_number__in=definitions):
        total.add(
            demo_quiz_create(course=course, definition=definitions[course.topic_number])
        )
    return total
