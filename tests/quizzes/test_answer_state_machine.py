"""Random save / retry / submit / clock-advance / sweep steps: the stored
answers always equal the last acknowledged ones (DESIGN §5, invariant 1)."""

import os
from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from quizzes.models import Answer, Attempt
from quizzes.services import (
    AttemptClosed,
    SubmittedAnswer,
    answer_autosave,
    attempt_start,
    attempt_submit,
    attempts_overdue_finish,
    grace,
)

EXAMPLES = int(
    os.environ.get("STATE_MACHINE_EXAMPLES", "500" if os.environ.get("CI") else "60")
)


@pytest.mark.django_db
def test_stored_answers_equal_the_last_acknowledged(make_quiz, make_learner):
    quiz = make_quiz(
        questions=6, draw=4, attempts_allowed=0, time_limit=timedelta(minutes=10)
    )
    users = count()

    class AttemptMachine(RuleBasedStateMachine):
        @initialize()
        def start(self):
            self.now = timezone.now()
            self.user = make_learner(username=f"sm{next(users)}")
            self.attempt = attempt_start(user=self.user, quiz=quiz, now=self.now)
            self.questions = self.attempt.question_ids
            self.acked: dict[int, tuple[int, list[int]]] = {}  # qid -> (seq, choices)
            self.sent: list[
                tuple[int, int, list[int]]
            ] = []  # every save the phone made
            self.seq = 0
            self.finished = False

        def _choices(self, data, qid):
            options = self.attempt.choice_order[str(qid)]
            return sorted(data.draw(st.sets(st.sampled_from(options), max_size=2)))

        def _save(self, qid, seq, choices):
            fresh = Attempt.objects.get(pk=self.attempt.pk)
            try:
                result = answer_autosave(
                    attempt=fresh,
                    question_id=qid,
                    choice_ids=choices,
                    seq=seq,
                    now=self.now,
                )
            except AttemptClosed:
                assert self.finished or self.now > self.attempt.deadline + grace()
                return
            if result.saved:
                self.acked[qid] = (seq, choices)
            # An acknowledged stale save is fine only when a newer one is stored.
            assert self.acked.get(qid, (0,))[0] >= seq

        @rule(data=st.data())
        def save(self, data):
            qid = data.draw(st.sampled_from(self.questions))
            self.seq += 1
            choices = self._choices(data, qid)
            self.sent.append((qid, self.seq, choices))
            self._save(qid, self.seq, choices)

        @rule(data=st.data())
        def retry_an_old_save(self, data):
            if self.sent:
                qid, seq, choices = data.draw(st.sampled_from(self.sent))
                self._save(qid, seq, choices)

        @rule(seconds=st.integers(min_value=0, max_value=400))
        def clock_advances(self, seconds):
            self.now += timedelta(seconds=seconds)

        @rule()
        def sweep(self):
            attempts_overdue_finish(now=self.now)
            if self.now > self.attempt.deadline + grace():
                self.finished = True

        @rule()
        def submit_everything_the_phone_has(self):
            latest: dict[int, tuple[int, list[int]]] = {}
            for qid, seq, choices in self.sent:
                if seq > latest.get(qid, (0,))[0]:
                    latest[qid] = (seq, choices)
            answers = [
                SubmittedAnswer(question_id=q, choice_ids=c, seq=s)
                for q, (s, c) in latest.items()
            ]
            try:
                attempt_submit(
                    attempt=Attempt.objects.get(pk=self.attempt.pk),
                    answers=answers,
                    now=self.now,
                )
            except AttemptClosed:
                self.finished = True
                return
            if not self.finished:
                self.acked.update(latest)
            self.finished = True

        @invariant()
        def stored_is_last_acknowledged(self):
            stored = {
                a.question_id: (a.seq, a.choice_ids)
                for a in Answer.objects.filter(attempt=self.attempt)
            }
            assert stored == self.acked

    run_state_machine_as_test(
        AttemptMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture,
            ],
        ),
    )
