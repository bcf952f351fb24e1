"""The live dashboard's "đang học" through test answers (issue 23, part 4:
answers are reached through their attempts now): an answer saved in the
last five minutes counts, also one saved in the grace period of an attempt
that ended at its deadline earlier than that; an older one does not."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from hocvuso.reports.live import live_counts

from courses.services import enrolment_create
from quizzes.services import answer_autosave, attempt_finish, attempt_start

pytestmark = pytest.mark.django_db


def _learner_answering(make_learner, quiz, unit, *, started, saved, finished=None):
    user = make_learner(unit=unit)
    enrolment_create(user=user, course=quiz.get_parent().specific, now=started)
    attempt = attempt_start(user=user, quiz=quiz, now=started)
    qid = attempt.question_ids[0]
    answer_autosave(
        attempt=attempt,
        question_id=qid,
        choice_ids=attempt.choice_order[str(qid)][:1],
        seq=1,
        now=saved,
    )
    if finished is not None:
        attempt_finish(attempt=attempt, now=finished, reason="submitted")
    return user


def test_answers_count_as_active_through_their_attempts(
    org_tree, make_quiz, make_learner
):
    quiz = make_quiz(questions=2, draw=2, time_limit=timedelta(minutes=10))
    now = timezone.now()
    villages = org_tree.villages
    # Still answering: active and testing.
    _learner_answering(
        make_learner, quiz, villages[0], started=now - timedelta(minutes=3), saved=now
    )
    # Answered in the grace period, 4.8 minutes ago, of an attempt whose
    # deadline passed 5.5 minutes ago (it ends at its deadline, before the
    # five minutes began): active all the same.
    _learner_answering(
        make_learner,
        quiz,
        villages[1],
        started=now - timedelta(minutes=15, seconds=30),
        saved=now - timedelta(minutes=4, seconds=48),
        finished=now - timedelta(minutes=4, seconds=36),
    )
    # Answered an hour ago: not active any more.
    _learner_answering(
        make_learner,
        quiz,
        villages[2],
        started=now - timedelta(hours=1),
        saved=now - timedelta(minutes=58),
        finished=now - timedelta(minutes=57),
    )
    cache.clear()
    commune = org_tree.communes[0]
    rows = {r["code"]: r for r in live_counts(unit=commune)["rows"]}
    first, second, third = (rows[v.code] for v in villages[:3])
    assert (first["active"], first["testing"]) == (1, 1)
    assert (second["active"], second["testing"], second["submitted"]) == (1, 0, 1)
    assert (third["active"], third["submitted"]) == (0, 0)
