"""Courses and lessons in the learner's language (issue 22, part 2): the
translation where one exists and still matches the Vietnamese, the Vietnamese
otherwise, and the page says which; progress is the course's in any language."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from courses.models import CoursePage, LessonPage, LessonProgress, PageTranslation
from courses.services import enrolment_create
from courses.translation import page_segments
from courses.translation_services import page_translation_save

from ..page_state_helpers import visit

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def course(build_catalog):
    build_catalog(courses=1, lessons=2)
    return CoursePage.objects.get()


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def translate_lesson(lesson, *, reviewed=False):
    texts = {"title": "Lesson one in English", "summary": "Summary."}
    for key, source in page_segments(lesson).items():
        if key.startswith("body."):
            texts[key] = (
                "<p>English lesson text.</p>" if source.startswith("<") else "Item"
            )
    return page_translation_save(
        page=lesson, language="en", texts=texts, reviewed=reviewed
    )


def test_a_translated_lesson_reads_in_english_labelled_as_a_sample(client, course):
    lesson = lessons_of(course)[0]
    translate_lesson(lesson)

    body = text(english(client).get(lesson.url))
    assert "Lesson one in English" in body and "English lesson text." in body
    assert "Bài học thử nghiệm" not in body
    assert "Sample translation, not checked by a translator" in body

    vietnamese = text(client.__class__().get(lesson.url))
    assert "Bài 1 của khóa 1" in vietnamese and "English lesson text" not in vietnamese
    assert "Sample translation" not in vietnamese


def test_a_reviewed_translation_has_no_sample_label(client, course):
    lesson = lessons_of(course)[0]
    translate_lesson(lesson, reviewed=True)
    body = text(english(client).get(lesson.url))
    assert "English lesson text." in body and "Sample translation" not in body


def test_an_untranslated_lesson_shows_vietnamese_and_says_so(client, course):
    lesson = lessons_of(course)[1]
    body = text(english(client).get(lesson.url))
    assert "Bài 2 của khóa 1" in body
    assert "not been translated into English yet" in body


def test_after_a_vietnamese_edit_the_changed_segment_is_vietnamese_again(
    client, course
):
    lesson = lessons_of(course)[0]
    translate_lesson(lesson, reviewed=True)
    lesson.title = "Bài 1 đã sửa"
    lesson.save_revision().publish()

    body = text(english(client).get(lesson.url))
    assert "Bài 1 đã sửa" in body and "Lesson one in English" not in body
    assert "English lesson text." in body  # the body did not change
    assert "Part of this lesson is not yet translated into English" in body


def test_the_course_outline_and_catalogue_use_translated_titles(client, course):
    lesson = lessons_of(course)[0]
    translate_lesson(lesson)
    page_translation_save(
        page=course,
        language="en",
        texts={"title": "Test course in English", "summary": "A test course."},
    )
    english(client)
    body = text(client.get(course.url))
    assert "Test course in English" in body and "Lesson one in English" in body
    assert "Bài 2 của khóa 1" in body  # not translated: Vietnamese
    assert "Test course in English" in text(client.get(course.get_parent().url))


def test_progress_made_in_english_is_the_courses_in_vietnamese(client, course, learner):
    first, second = lessons_of(course)
    translate_lesson(first)
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    english(client)
    response = client.post(reverse("lesson_mark_done", args=[first.pk]))
    assert response.status_code == 302
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html, _state = visit(client, course)
    assert "lesson-row is-done" in html and "Bài 1 của khóa 1" in html
    assert LessonProgress.objects.get(user=learner, lesson=first).completed_at


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({"title": "Bad\x00title"}, "ký tự điều khiển"),
        ({"title": "x" * 20_001}, "tối đa 20000"),
        ({"no-such-segment": "x"}, "không có đoạn"),
        ({"title": ["a", "list"]}, "phải là văn bản"),
    ],
)
def test_hostile_translations_are_refused_with_a_message(course, texts, message):
    lesson = lessons_of(course)[0]
    # Vietnamese, as a request without the language cookie reads it.
    with translation.override("vi"):
        with pytest.raises(ValidationError) as refused:
            page_translation_save(page=lesson, language="en", texts=texts)
        assert message in " ".join(refused.value.messages)
    assert not PageTranslation.objects.exists()


def test_an_unknown_language_is_refused(course):
    # Vietnamese, as a request without the language cookie reads it.
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        page_translation_save(page=course, language="xx", texts={"title": "X"})
    assert "ngôn ngữ nội dung" in " ".join(refused.value.messages)


def test_script_in_a_translated_lesson_text_is_dropped(client, course):
    lesson = lessons_of(course)[0]
    key = next(k for k in page_segments(lesson) if k.count(".") == 1 and "body" in k)
    page_translation_save(
        page=lesson,
        language="en",
        texts={
            key: '<p onclick="steal()">Safe<script>alert(1)</script>'
            '<a href="javascript:steal()">link</a></p>'
        },
    )
    body = english(client).get(lesson.url).content.decode()
    assert "Safe" in body
    assert "<script>alert" not in body and "steal()" not in body
