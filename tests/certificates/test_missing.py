"""A learner who passes while the broker is down (Redis stopped: fault 4 of
loadtest/faults) is told their result, and still gets exactly one
certificate, from the periodic safety net."""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from certificates.models import Certificate, CertificateStatus
from certificates.services import certificates_missing_issue
from certificates.tasks import certificate_issue_task
from courses.models import CourseCompletion, CoursePage
from quizzes.models import Choice
from tests.completion_helpers import lessons_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError(
            "Error 111 connecting to 127.0.0.1:6379. Connection refused."
        )

    monkeypatch.setattr(certificate_issue_task, "delay", refuse)


def test_passing_while_the_broker_is_down_answers_and_issues_later(
    broker_down, client, learner, make_quiz, django_capture_on_commit_callbacks
):
    quiz = make_quiz(questions=4, draw=4)
    lessons_complete(learner, CoursePage.objects.get())
    client.force_login(learner)
    attempt = client.post(
        "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
    ).json()
    answers = [
        {
            "question_id": q["id"],
            "choice_ids": list(
                Choice.objects.filter(question_id=q["id"], correct=True).values_list(
                    "pk", flat=True
                )
            ),
            "seq": 1,
        }
        for q in attempt["questions"]
    ]
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(
            f"/api/attempts/{attempt['id']}/submit",
            {"answers": answers},
            content_type="application/json",
        )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["passed"] is True
    assert CourseCompletion.objects.filter(user=learner).exists()
    assert not Certificate.objects.exists()

    # Too early to tell a lost task from a queued one.
    assert certificates_missing_issue() == 0
    later = timezone.now() + timedelta(minutes=3)
    assert certificates_missing_issue(now=later) == 1
    certificate = Certificate.objects.get()
    assert certificate.user == learner and certificate.pdf
    assert certificates_missing_issue(now=later) == 0
    assert Certificate.objects.count() == 1


def test_a_certificate_whose_render_died_gets_its_files(learner, complete_course):
    complete_course(learner)
    certificate = Certificate.objects.get()
    # What a worker killed mid-render leaves: the row, no files.
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", png="")
    assert certificates_missing_issue() == 0  # its task may still be running
    later = timezone.now() + timedelta(minutes=3)
    assert certificates_missing_issue(now=later) == 1
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.png
    assert Certificate.objects.count() == 1


def test_an_erased_certificate_is_never_drawn_again(learner, complete_course):
    """Its holder asked for deletion (hocvuso.privacy): the row stays, with no
    name and no files, and the safety net must not bring the files back."""
    complete_course(learner)
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(
        status=CertificateStatus.ERASED, pdf="", png=""
    )
    later = timezone.now() + timedelta(minutes=3)
    assert certificates_missing_issue(now=later) == 0
    assert not Certificate.objects.get().pdf
