"""At 360 px: the demo's sample translation carries a whole course. A learner
who picks English reads its lessons' texts in English, takes its final test
with the questions and choices in English, and passes."""

import json
import re

import pytest
from hocvuso.core.demo import demo_site_seed

from courses.demo import course_definitions_load, demo_catalog_seed
from courses.demo_translations import TRANSLATIONS_DIR as COURSE_TEXTS
from courses.demo_translations import demo_translations_seed
from courses.models import CoursePage, LessonPage
from quizzes.demo import demo_quizzes_seed
from quizzes.demo_translations import TRANSLATIONS_DIR as QUIZ_TEXTS
from quizzes.demo_translations import demo_quiz_translations_seed
from quizzes.models import Attempt, Choice, Question, QuizPage

from .conftest import mark_lesson_done, screenshot, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _english(directory, part: str) -> dict:
    return json.loads((directory / "en.json").read_text(encoding="utf-8"))[part]["2"]


def test_read_and_pass_the_demo_course_in_english(live_server, phone, make_learner):
    topic_2 = [c for c in course_definitions_load() if c["topic"] == 2]
    demo_catalog_seed(home=demo_site_seed(), courses=topic_2, programmes=[])
    demo_quizzes_seed()
    demo_translations_seed()
    demo_quiz_translations_seed()
    course = CoursePage.objects.get(topic_number=2)
    quiz = QuizPage.objects.child_of(course).get()
    lessons = _english(COURSE_TEXTS, "courses")["lessons"]
    questions = _english(QUIZ_TEXTS, "quizzes")["questions"]
    learner = make_learner()

    page = phone
    page.goto(live_server.url + "/tai-khoan/login/")
    page.fill("input[name=login]", learner.username)
    page.fill("input[name=password]", "Matkhau@2025")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/")
    page.locator("footer button[value=en]").click()
    page.wait_for_load_state()

    page.goto(live_server.url + course.url)
    assert page.locator("h1").inner_text() == "The basic digital skills framework"
    page.get_by_role("button", name="Enrol").click()
    page.wait_for_load_state()
    for lesson in LessonPage.objects.child_of(course).order_by("path"):
        assert page.locator("h1").inner_text() == lessons[lesson.slug]["title"]
        article = page.locator("article.lesson").inner_text()
        heading = re.search(r"<h3>(.*?)</h3>", lessons[lesson.slug]["body"])
        assert heading.group(1) in article  # the lesson's text, in English
        assert "not yet translated" not in page.locator("main").inner_text()
        if lesson.slug == "tu-danh-gia-ky-nang-so":
            assert "I never give my OTP code to anyone." in article
            assert "Tôi không bao giờ" not in article
            screenshot(page, "demo-lesson-in-english-360")
        mark_lesson_done(page, button="Mark lesson complete")

    page.goto(live_server.url + quiz.url)
    assert (
        "Final test: The basic digital skills framework"
        in page.locator("h1").inner_text()
    )
    page.get_by_role("button", name="Start the test").click()
    page.wait_for_url("**/kiem-tra/lam-bai/**")
    attempt = Attempt.objects.get()
    assert len(attempt.question_ids) == 10
    for index, qid in enumerate(attempt.question_ids):
        english = questions[Question.objects.get(pk=qid).key]
        page.locator(f'nav[data-nav] button[data-goto="{index}"]').click()
        fieldset = page.locator(f'fieldset[data-q="{qid}"]')
        assert english["text"] in fieldset.locator("legend").inner_text()
        shown = fieldset.inner_text()
        assert all(choice["text"] in shown for choice in english["choices"])
        for choice in Choice.objects.filter(question_id=qid, correct=True):
            fieldset.locator(f'input[value="{choice.pk}"]').check()
    wait_for_js(
        page,
        "document.querySelectorAll('nav[data-nav] button.answered:not(.pending)').length >= 10",
    )
    screenshot(page, "demo-test-in-english-360")
    page.get_by_role("button", name="Submit").last.click()
    page.locator("dialog[data-confirm] button[value=submit]").click()
    page.wait_for_url("**/kiem-tra/ket-qua/**")
    assert page.locator("h1[data-result]").get_attribute("data-result") == "passed"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
