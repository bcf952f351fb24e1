"""The demo's sample translation (courses/demo_content/translations/en.json)
reaches the seeded course, labelled as a sample, and a second run changes
nothing."""

import re

import pytest
from django.conf import settings
from hocvuso.core.demo import demo_site_seed

from courses.demo import course_definitions_load, demo_catalog_seed
from courses.demo_translations import demo_translations_seed
from courses.models import CoursePage, LessonPage, PageTranslation

pytestmark = pytest.mark.django_db


def test_the_demo_course_reads_in_english_as_a_sample_translation(client):
    topic_2 = [c for c in course_definitions_load() if c["topic"] == 2]
    demo_catalog_seed(home=demo_site_seed(), courses=topic_2, programmes=[])
    first = demo_translations_seed()
    assert first.created == 6  # the course and its five lessons
    again = demo_translations_seed()
    assert again.unchanged == 6 and not again.created and not again.updated
    assert not PageTranslation.objects.filter(reviewed=True).exists()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    course = CoursePage.objects.get(topic_number=2)
    body = re.sub(r"\s+", " ", client.get(course.url).content.decode())
    assert "<h1>The basic digital skills framework</h1>" in body
    assert "Be able to assess your own digital skills." in body
    assert "Sample translation, not checked by a translator" in body
    lesson = LessonPage.objects.child_of(course).get(slug="tu-danh-gia-ky-nang-so")
    body = re.sub(r"\s+", " ", client.get(lesson.url).content.decode())
    assert "Assess your own digital skills" in body
    assert "Three levels of self-assessment" in body  # its key facts
    assert "<h3>Self-check table</h3>" in body  # its text
    assert "Bảng tự kiểm tra" not in body
    assert "not yet translated" not in body
