"""The question bank kept in each process never outlives a change to it, nor
a flush of the shared cache."""

import pytest
from django.core.cache import cache

from quizzes.bank import bank_get
from quizzes.models import Question

pytestmark = pytest.mark.django_db


def test_an_edited_question_is_drawn_with_its_new_text(make_quiz):
    quiz = make_quiz()
    course_id = quiz.get_parent().pk
    question = Question.objects.filter(course_id=course_id).first()
    assert bank_get(course_id=course_id)[question.pk].text == question.text

    question.text = "Câu hỏi đã sửa lại"
    question.save()

    assert bank_get(course_id=course_id)[question.pk].text == "Câu hỏi đã sửa lại"


def test_a_flushed_cache_does_not_bring_back_a_bank_kept_in_the_process(
    make_quiz,
):
    quiz = make_quiz()
    course_id = quiz.get_parent().pk
    question = Question.objects.filter(course_id=course_id).first()
    cache.clear()  # as after a restart of Redis
    bank_get(course_id=course_id)

    cache.clear()
    Question.objects.filter(pk=question.pk).update(text="Sửa thẳng trong CSDL")

    assert bank_get(course_id=course_id)[question.pk].text == "Sửa thẳng trong CSDL"
