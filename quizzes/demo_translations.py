"""The demo's sample translations of its final tests
(quizzes/demo_content/translations/<language>.json): the test page's title
and introduction, and each question's text, choices and explanation, matched
to the seeded questions by topic number and question key. The choices are
listed in the question's order, with the source's "correct" marks: the
seeding reads only their texts, the tests check that no translated choice
moved. Stored unreviewed, as the courses' (courses/demo_translations.py)."""

import json
from pathlib import Path

from courses.demo import SeedCounts
from courses.demo_translations import demo_page_translation_save
from courses.models import CoursePage
from courses.translation import content_languages

from .demo import CONTENT_DIR
from .models import Question, QuestionTranslation, QuizPage
from .translation import question_translation_save

TRANSLATIONS_DIR = CONTENT_DIR / "translations"


def _question_save(
    *, question: Question, language: str, item: dict, counts: SeedCounts
) -> None:
    before = QuestionTranslation.objects.filter(
        question=question, language=language
    ).first()
    after = question_translation_save(
        question=question,
        language=language,
        text=item["text"],
        choices=[choice["text"] for choice in item["choices"]],
        explanation=item.get("explanation", ""),
    )
    if before is None:
        counts.created += 1
    elif before.updated_at != after.updated_at:
        counts.updated += 1
    else:
        counts.unchanged += 1


def demo_quiz_translations_seed(
    translations_dir: Path = TRANSLATIONS_DIR,
) -> SeedCounts:
    counts = SeedCounts()
    for path in sorted(translations_dir.glob("*.json")):
        language = path.stem
        if language not in content_languages():
            continue
        definition = json.loads(path.read_text(encoding="utf-8"))
        for topic, quiz_text in definition["quizzes"].items():
            course = CoursePage.objects.filter(topic_number=int(topic)).first()
            if course is None:
                continue
            quiz = QuizPage.objects.child_of(course).first()
            if quiz is not None:
                texts = {"title": quiz_text["title"], "intro": quiz_text["intro"]}
                demo_page_translation_save(
                    page=quiz, language=language, texts=texts, counts=counts
                )
            bank = {q.key: q for q in Question.objects.filter(course=course)}
            for key, item in quiz_text["questions"].items():
                if key in bank:
                    _question_save(
                        question=bank[key], language=language, item=item, counts=counts
                    )
    return counts
