"""The second edition's data files (issue 20): one glossary linked from every
lesson, programmes for the framework's target groups, and a first-edition
bank replaced by the current one on the next seed."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from courses.demo import course_definitions_load, demo_catalog_seed
from courses.models import CoursePage, LessonPage, ProgrammePage
from courses.services import enrolment_create
from quizzes.demo import demo_quiz_create, quiz_definitions_load
from quizzes.models import Question

pytestmark = pytest.mark.django_db

FIRST_EDITION = Path(__file__).resolve().parent / "first_edition"


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--no-media", verbosity=0)


def test_every_lesson_links_to_the_glossary_with_an_anchor_per_term(
    seeded, client, learner, settings
):
    from courses.models import GlossaryPage

    glossary = GlossaryPage.objects.live().get()
    page = client.get(glossary.url).content.decode()
    for term in glossary.terms:
        assert f'id="{term.value["anchor"]}"' in page
    assert 'id="xac-thuc-hai-lop"' in page and 'id="deepfake"' in page
    client.force_login(learner)
    for course in CoursePage.objects.live().select_related("owner_site"):
        enrolment_create(user=learner, course=course)
        lesson = LessonPage.objects.live().child_of(course).first()
        # A province's own course (the demo's Huế) is served on its site only.
        host = course.owner_site.hostname if course.owner_site else "testserver"
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
        html = client.get(lesson.url, HTTP_HOST=host).content.decode()
        assert f'href="{glossary.url}"' in html and "Thuật ngữ" in html


def test_programmes_for_each_target_group(seeded):
    def topics(slug):
        programme = ProgrammePage.objects.live().get(slug=slug)
        return [
            pc.course.specific.topic_number
            for pc in programme.programme_courses.order_by("sort_order")
        ]

    assert topics("to-cong-nghe-so-cong-dong") == [1, 2, 3, 4, 5, 6, 7]
    assert topics("nguoi-dan") == [2, 4, 5, 6]
    assert topics("can-bo-cong-chuc-vien-chuc") == [1, 2, 3, 4, 5, 6, 7]
    assert topics("nguoi-lao-dong-doanh-nghiep") == [2, 3, 4, 6, 7]
    page = ProgrammePage.objects.get(slug="nguoi-lao-dong-doanh-nghiep")
    assert page.get_audience_display() == "Người lao động trong doanh nghiệp"


def test_the_first_edition_bank_is_replaced_by_the_current_one(db):
    from hocvuso.core.demo import demo_site_seed

    old_course = json.loads((FIRST_EDITION / "course-topic-5.json").read_text())
    old_quiz = json.loads((FIRST_EDITION / "quiz-topic-5.json").read_text())
    home = demo_site_seed()
    demo_catalog_seed(home=home, courses=[old_course])
    course = CoursePage.objects.get(topic_number=5)
    demo_quiz_create(course=course, definition=old_quiz)

    current = [c for c in course_definitions_load() if c["topic"] == 5]
    demo_catalog_seed(home=home, courses=current)
    counts = demo_quiz_create(course=course, definition=quiz_definitions_load()[5])

    texts = set(Question.objects.filter(course=course).values_list("text", flat=True))
    assert texts == {q["text"] for q in quiz_definitions_load()[5]["questions"]}
    assert counts.retired == len(old_quiz["questions"])
