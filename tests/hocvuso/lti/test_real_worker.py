"""A real Celery worker on the Redis broker sends a launched learner's score
to the LMS: the learner passes the course's test in the web process, the
worker posts each score to the stand-in's line item exactly once, signing
its token request with the tool's key from the database."""

import pytest
from django.conf import settings
from django.db import connection
from hocvuso.lti.keys import tool_jwks
from hocvuso.lti.models import LtiIdentity, Score

from courses.models import CoursePage
from tests.completion_helpers import final_test_take, lessons_complete
from tests.real_worker import REAL_WORKER, wait_until, worker_start, worker_stop

from .conftest import launch

pytestmark = REAL_WORKER


def test_a_worker_sends_the_launched_learners_scores_to_the_lms_once(
    real_broker, client, lms, registration, make_quiz, privacy_notice, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    quiz = make_quiz(questions=4, draw=4)
    course = CoursePage.objects.get()
    lms.custom = {"course_id": str(course.pk)}
    lms.tool_jwks = tool_jwks()
    assert launch(client, lms).status_code == 200
    user = LtiIdentity.objects.get().user

    worker, log = worker_start(
        tmp_path, "lti", LTI_KEY_PASSPHRASE=settings.LTI_KEY_PASSPHRASE
    )
    try:
        lessons_complete(user, course)
        final_test_take(user, quiz)  # commits; the sends go to Redis
        wait_until(
            lambda: (
                not Score.objects.filter(sent_at=None).exists()
                and Score.objects.count() == 2
            ),
            timeout=90,
            what=f"the scores sent by the worker\n{log.read_text()}",
        )
    finally:
        worker_stop(worker)
    assert "scores_send_task" in log.read_text()
    assert len(lms.scores) == 2
    for score in lms.scores:
        assert score["userId"] == "hs-1001"
        assert (score["scoreGiven"], score["scoreMaximum"]) == (100.0, 100.0)
        assert score["gradingProgress"] == "FullyGraded"
    assert not lms.refusals
