"""Questions in the learner's language: same choices (ids), same grading;
the Vietnamese again after an edit; hostile translations refused."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from quizzes.models import Attempt, Question, QuestionTranslation
from quizzes.translation import question_translation_save

from .conftest import correct_choices

pytestmark = pytest.mark.django_db


def translate(question, *, reviewed=False):
    n = question.choices.count()
    return question_translation_save(
        question=question,
        language="en",
        text=f"English question {question.pk}?",
        choices=[f"English choice {i + 1}" for i in range(n)],
        explanation="Because it is the right answer.",
        reviewed=reviewed,
    )


@pytest.fixture
def english_taker(client, learner):
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def start(client, quiz) -> dict:
    response = client.post(
        "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_test_taken_in_english_shows_translations_and_grades_the_same(
    english_taker, make_quiz
):
    quiz = make_quiz(questions=4, draw=4, review_policy="after_submit")
    for question in Question.objects.all():
        translate(question)
    attempt = start(english_taker, quiz)
    assert Attempt.objects.get(pk=attempt["id"]).language == "en"
    for shown in attempt["questions"]:
        assert shown["text"].startswith("English question")
        question = Question.objects.get(pk=shown["id"])
        # The same choices, by id, whatever the language.
        assert {c["id"] for c in shown["choices"]} == set(
            question.choices.values_list("pk", flat=True)
        )
        assert all(c["text"].startswith("English choice") for c in shown["choices"])
    answers = [
        {"question_id": q["id"], "choice_ids": correct_choices(None, q["id"]), "seq": 1}
        for q in attempt["questions"]
    ]
    response = english_taker.post(
        f"/api/attempts/{attempt['id']}/submit",
        {"answers": answers},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    result = english_taker.get(f"/api/attempts/{attempt['id']}/result").json()
    assert result["passed"] is True and result["score_percent"] == 100
    assert {r["explanation"] for r in result["review"]} == {
        "Because it is the right answer."
    }


def test_the_attempt_page_labels_a_sample_translation(english_taker, make_quiz):
    quiz = make_quiz(questions=2, draw=2)
    for question in Question.objects.all():
        translate(question)
    english_taker.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    body = english_taker.get(reverse("quiz_attempt", args=[attempt.pk])).content
    body = body.decode()
    assert "English question" in body
    assert "Sample translation, not checked by a translator" in body


def test_an_edited_question_is_shown_in_vietnamese_until_translated_again(
    english_taker, make_quiz
):
    quiz = make_quiz(questions=1, draw=1)
    question = Question.objects.get()
    translate(question)
    question.text = "Câu hỏi đã sửa?"
    question.save()
    attempt = start(english_taker, quiz)
    assert attempt["questions"][0]["text"] == "Câu hỏi đã sửa?"
    translate(Question.objects.get())
    attempt = english_taker.get(f"/api/attempts/{attempt['id']}").json()
    assert attempt["questions"][0]["text"].startswith("English question")


def test_a_translation_saved_again_unchanged_keeps_the_bank_and_a_change_shows(
    english_taker, make_quiz
):
    quiz = make_quiz(questions=1, draw=1)
    question = Question.objects.get()
    translate(question)
    version = cache.get(f"quiz-bank-version:{question.course_id}")
    translate(question)  # a second seed, an import of the same file
    assert cache.get(f"quiz-bank-version:{question.course_id}") == version
    question_translation_save(
        question=question,
        language="en",
        text="A better English question?",
        choices=["One", "Two", "Three", "Four"],
    )
    attempt = start(english_taker, quiz)
    assert attempt["questions"][0]["text"] == "A better English question?"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "Bad\x00text"}, "ký tự điều khiển"),
        ({"text": "x" * 5000}, "tối đa 4000"),
        ({"choices": ["only one"]}, "phải có đúng 4 đáp án"),
        ({"choices": "not a list"}, "phải có đúng 4 đáp án"),
        ({"choices": ["a\x07", "b", "c", "d"]}, "ký tự điều khiển"),
        ({"language": "zz"}, "ngôn ngữ nội dung"),
    ],
)
def test_hostile_question_translations_are_refused(make_quiz, fields, message):
    make_quiz(questions=1, draw=1)
    question = Question.objects.get()
    values = {
        "question": question,
        "language": "en",
        "text": "Question?",
        "choices": ["a", "b", "c", "d"],
        "explanation": "",
        **fields,
    }
    # Vietnamese, as a request without the language cookie reads it.
    with translation.override("vi"):
        with pytest.raises(ValidationError) as refused:
            question_translation_save(**values)
        assert message in " ".join(refused.value.messages)
    assert not QuestionTranslation.objects.exists()
