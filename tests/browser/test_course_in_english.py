"""At 360 px, issue 22's acceptance: a learner picks English in the footer,
takes a course translated into English (lessons and test), passes, downloads
the certificate (the course's English name on it) and verifies it."""

import subprocess

import pytest

from courses.models import CoursePage, LessonPage
from courses.translation import page_segments
from courses.translation_services import page_translation_save
from quizzes.models import Attempt, Choice, Question
from quizzes.translation import question_translation_save

from .conftest import mark_lesson_done, screenshot, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def translate_everything(course, quiz) -> None:
    for page in [course, *LessonPage.objects.child_of(course), quiz]:
        texts = {
            key: f"<p>English text of {key}.</p>" if source.startswith("<p") else "EN"
            for key, source in page_segments(page.specific).items()
        }
        texts["title"] = f"{page.title} (EN)"
        page_translation_save(page=page.specific, language="en", texts=texts)
    page_translation_save(
        page=course, language="en", texts={"title": "Trial course in English"}
    )
    for question in Question.objects.all():
        question_translation_save(
            question=question,
            language="en",
            text=f"English question {question.pk}?",
            choices=[f"Answer {c.pk}" for c in question.choices.all()],
            explanation="Explained in English.",
        )


def test_take_a_course_in_english_and_get_an_english_certificate(
    live_server, phone, make_learner, make_quiz, settings, tmp_path
):
    settings.CERTIFICATES_SITE_URL = live_server.url
    page = phone
    quiz = make_quiz(questions=4, draw=4)
    course = CoursePage.objects.get()
    translate_everything(course, quiz)
    learner = make_learner(full_name="Lò Thị Mai")

    page.goto(live_server.url + "/tai-khoan/login/")
    page.fill("input[name=login]", learner.username)
    page.fill("input[name=password]", "Matkhau@2025")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/")
    page.locator("footer button[value=en]").click()
    page.wait_for_load_state()

    page.goto(live_server.url + course.url)
    assert page.locator("h1").inner_text() == "Trial course in English"
    assert "Sample translation" in page.locator("main").inner_text()
    page.get_by_role("button", name="Enrol").click()
    page.wait_for_load_state()
    for _lesson in LessonPage.objects.child_of(course):
        assert "(EN)" in page.locator("h1").inner_text()
        assert "English text of body" in page.locator("article.lesson").inner_text()
        mark_lesson_done(page, button="Mark lesson complete")
    screenshot(page, "course-in-english-360")

    page.goto(live_server.url + quiz.url)
    page.get_by_role("button", name="Start the test").click()
    page.wait_for_url("**/kiem-tra/lam-bai/**")
    attempt = Attempt.objects.get()
    assert attempt.language == "en"
    for index, qid in enumerate(attempt.question_ids):
        page.locator(f'nav[data-nav] button[data-goto="{index}"]').click()
        legend = page.locator(f'fieldset[data-q="{qid}"] legend').inner_text()
        assert f"English question {qid}?" in legend
        for choice in Choice.objects.filter(question_id=qid, correct=True):
            page.locator(f'fieldset[data-q="{qid}"] input[value="{choice.pk}"]').check()
    wait_for_js(
        page,
        "document.querySelectorAll('nav[data-nav] button.answered:not(.pending)').length >= 4",
    )
    screenshot(page, "test-in-english-360")
    page.get_by_role("button", name="Submit").last.click()
    page.locator("dialog[data-confirm] button[value=submit]").click()
    page.wait_for_url("**/kiem-tra/ket-qua/**")

    page.get_by_role("link", name="My certificates").first.click()
    card = page.locator("li.certificate")
    card.wait_for()
    assert "Trial course in English" in card.inner_text()
    with page.expect_download() as download:
        card.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Trial course in English" in text and "Lò Thị Mai" in text

    card.locator("a[data-share]").click()
    page.wait_for_url("**/xac-minh/**")
    assert "Valid certificate" in page.locator("[data-status=valid]").inner_text()
    assert page.locator("[data-title]").inner_text() == "Trial course in English"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "certificate-in-english-verify-360")
