"""A course taken in a second language: the certificate records the
language, prints the course's name in it (and the Vietnamese name beside it),
and the verification page shows both."""

import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from certificates.models import Certificate
from courses.models import CoursePage
from courses.translation_services import page_translation_save
from tests.completion_helpers import final_test_take, lessons_complete

pytestmark = pytest.mark.django_db


def _pdf_text(certificate, tmp_path) -> str:
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificate.pdf.read())
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def take(make_quiz, django_capture_on_commit_callbacks):
    quiz = make_quiz(questions=4, draw=4)
    course = CoursePage.objects.get()
    page_translation_save(
        page=course, language="en", texts={"title": "Trial course in English"}
    )

    def take(user, language):
        with django_capture_on_commit_callbacks(execute=True):
            lessons_complete(user, course)
            with translation.override(language):
                attempt = final_test_take(user, quiz)
        return attempt

    return take


def test_a_course_passed_in_english_gets_an_english_certificate(
    client, learner, take, tmp_path
):
    attempt = take(learner, "en")
    assert attempt.language == "en" and attempt.passed
    certificate = Certificate.objects.get()
    assert certificate.language == "en"
    assert certificate.title == "Trial course in English"
    assert certificate.source_title == "Khóa học thử 1"
    text = _pdf_text(certificate, tmp_path)
    assert "Trial course in English" in text and "Khóa học thử 1" in text

    body = client.get(reverse("certificate_verify", args=[certificate.code]))
    html = body.content.decode()
    assert body.status_code == 200 and 'data-status="valid"' in html
    assert "Trial course in English" in html and "Khóa học thử 1" in html


def test_a_course_passed_in_vietnamese_keeps_the_vietnamese_name(
    learner, take, tmp_path
):
    take(learner, "vi")
    certificate = Certificate.objects.get()
    assert certificate.language == "vi"
    assert certificate.title == "Khóa học thử 1" and certificate.source_title == ""
    assert "Trial course" not in _pdf_text(certificate, tmp_path)
