"""Grades back to the LMS: a launched learner who passes the course's test
or completes the course has a score written with the event and posted to
the platform's line item (token by the client credentials grant with the
tool's signed assertion); an outage keeps the score for a later try."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hocvuso.lti.keys import tool_jwks
from hocvuso.lti.models import LtiIdentity, Score
from hocvuso.lti.services import score_send, scores_send_due

from courses.models import CoursePage
from tests.completion_helpers import final_test_take, lessons_complete

from .conftest import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def launched(client, lms, registration, make_quiz, privacy_notice):
    """A learner launched into the course with a final test; the stand-in
    checks the tool's signatures against its published keys."""
    quiz = make_quiz(questions=4, draw=4)
    course = CoursePage.objects.get()
    lms.custom = {"course_id": str(course.pk)}
    lms.tool_jwks = tool_jwks()
    assert launch(client, lms).status_code == 200
    user = LtiIdentity.objects.get().user
    return user, course, quiz


def test_passing_the_course_sends_the_score_to_the_line_item(
    launched, lms, django_capture_on_commit_callbacks
):
    user, course, quiz = launched
    with django_capture_on_commit_callbacks(execute=True):
        lessons_complete(user, course)
        final_test_take(user, quiz)

    # The test passed and the course completed: both sent, with the test's
    # score (no "100" for a completion that came from an 100% test either).
    assert len(lms.scores) == 2
    for score in lms.scores:
        assert score["userId"] == "hs-1001"
        assert score["scoreGiven"] == 100.0 and score["scoreMaximum"] == 100.0
        assert score["activityProgress"] == "Completed"
        assert score["gradingProgress"] == "FullyGraded"
    assert not Score.objects.filter(sent_at=None).exists()
    token = lms.token_requests[0]
    assert token["grant_type"] == "client_credentials"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in token["scope"]
    assert not lms.refusals


def test_a_failed_test_sends_nothing(launched, lms, django_capture_on_commit_callbacks):
    user, course, quiz = launched
    with django_capture_on_commit_callbacks(execute=True):
        lessons_complete(user, course)
        final_test_take(user, quiz, right=False)
    assert lms.scores == []
    assert not Score.objects.exists()


def test_a_learner_not_launched_from_an_lms_writes_no_score(
    launched, lms, make_learner, django_capture_on_commit_callbacks
):
    _user, course, quiz = launched
    other = make_learner()
    with django_capture_on_commit_callbacks(execute=True):
        lessons_complete(other, course)
        final_test_take(other, quiz)
    assert not Score.objects.exists()


def test_an_outage_keeps_the_score_and_a_later_sweep_sends_it_once(
    launched, lms, django_capture_on_commit_callbacks
):
    user, course, quiz = launched
    lms.down = True
    with django_capture_on_commit_callbacks(execute=True):
        lessons_complete(user, course)
        final_test_take(user, quiz)

    pending = list(Score.objects.filter(sent_at=None))
    assert len(pending) == 2
    assert all(s.attempts == 1 and "503" in s.last_error for s in pending)
    assert all(s.next_attempt_at > timezone.now() for s in pending)
    # Not due yet: the sweep leaves them.
    assert scores_send_due() == 0

    lms.down = False
    later = timezone.now() + timedelta(hours=2)
    assert scores_send_due(now=later) == 2
    assert scores_send_due(now=later) == 0
    assert len(lms.scores) == 2


def test_a_refused_token_is_kept_with_the_error(
    launched, lms, django_capture_on_commit_callbacks
):
    user, course, quiz = launched
    lms.tool_jwks = {"keys": []}  # the platform does not know our key
    with django_capture_on_commit_callbacks(execute=True):
        lessons_complete(user, course)
        final_test_take(user, quiz)
    scores = list(Score.objects.all())
    assert len(scores) == 2
    assert all(s.sent_at is None and "401" in s.last_error for s in scores)
    assert lms.scores == []
    assert "token: unknown kid" in lms.refusals


def test_a_hostile_error_page_is_kept_short_and_printable(launched, lms):
    user, course, _quiz = launched
    lms.stop()
    score = Score.objects.create(
        target=user.lti_identities.get().grade_targets.get(),
        score_given=50,
        score_maximum=100,
        activity_progress="Completed",
        grading_progress="FullyGraded",
        timestamp=timezone.now(),
        created_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    assert score_send(score_id=score.pk) is False
    score.refresh_from_db()
    assert score.attempts == 1 and "ConnectionError" in score.last_error
    assert len(score.last_error) <= 500
