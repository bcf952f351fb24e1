"""The demo's translated course is translated whole: every segment of its
pages and every question of its test, each choice where the Vietnamese has
it; a second seed changes nothing."""

import json
import re

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from hocvuso.core.demo import demo_site_seed

from courses.demo import course_definitions_load, demo_catalog_seed
from courses.demo_translations import demo_translations_seed
from courses.models import CoursePage
from quizzes.demo import demo_quizzes_seed, quiz_definitions_load
from quizzes.demo_translations import TRANSLATIONS_DIR, demo_quiz_translations_seed
from quizzes.models import Question, QuizPage
from quizzes.translation_po import course_po_export, stale_segments

pytestmark = pytest.mark.django_db

TOPIC = 2


def _english() -> dict:
    path = TRANSLATIONS_DIR / "en.json"
    return json.loads(path.read_text(encoding="utf-8"))["quizzes"][str(TOPIC)]


def _seed() -> CoursePage:
    topic = [c for c in course_definitions_load() if c["topic"] == TOPIC]
    demo_catalog_seed(home=demo_site_seed(), courses=topic, programmes=[])
    demo_quizzes_seed()
    demo_translations_seed()
    demo_quiz_translations_seed()
    return CoursePage.objects.get(topic_number=TOPIC)


def test_each_translated_question_keeps_its_choices_and_its_answers():
    source = {q["key"]: q for q in quiz_definitions_load()[TOPIC]["questions"]}
    english = _english()["questions"]
    assert set(english) == set(source)
    for key, item in english.items():
        wanted = [c["correct"] for c in source[key]["choices"]]
        assert [c["correct"] for c in item["choices"]] == wanted, key
        assert item["text"] and item["explanation"], key
        assert all(c["text"] for c in item["choices"]), key


def test_nothing_of_the_course_is_left_in_vietnamese():
    course = _seed()
    # What a translator would be sent: every page segment, question, choice
    # and explanation, none empty or out of date.
    po = polib.pofile(course_po_export(course=course, language="en").decode())
    contexts = [entry.msgctxt for entry in po]
    assert sum(c.startswith("page:") for c in contexts) > 40
    assert (
        sum(c.endswith(":text") and c.startswith("question:") for c in contexts) == 20
    )
    assert [e.msgctxt for e in po.untranslated_entries()] == []
    assert [e.msgctxt for e in po.fuzzy_entries()] == []
    assert stale_segments(course=course, language="en") == []
    questions = Question.objects.filter(course=course).prefetch_related("choices")
    assert questions.count() == 20
    for question in questions:
        translation = question.translations.get(language="en")
        assert len(translation.choices) == question.choices.count()


def test_a_second_seed_writes_nothing():
    course = _seed()
    version = cache.get(f"quiz-bank-version:{course.pk}")
    again = demo_quiz_translations_seed()
    assert again.unchanged == 21 and not again.created and not again.updated
    assert cache.get(f"quiz-bank-version:{course.pk}") == version


def test_the_test_page_reads_in_english(client):
    course = _seed()
    quiz = QuizPage.objects.child_of(course).get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = re.sub(r"\s+", " ", client.get(quiz.url).content.decode())
    assert "Final test: The basic digital skills framework" in body
    assert "You need at least 70% to complete the course." in body
    assert "Sample translation, not checked by a translator" in body
    assert "ngân hàng câu hỏi" not in body
