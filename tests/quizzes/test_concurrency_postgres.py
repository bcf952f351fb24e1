"""Races that only a real database shows: run on PostgreSQL (as CI does)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from quizzes.models import Answer, Attempt
from quizzes.selectors import attempt_for_user
from quizzes.services import (
    AttemptClosed,
    SubmittedAnswer,
    answer_autosave,
    attempt_start,
    attempt_submit,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def in_threads(count: int, work):
    """Run work(i) in `count` threads released together; return results."""
    barrier = threading.Barrier(count)

    def run(i):
        try:
            barrier.wait()
            return work(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_two_concurrent_starts_yield_one_open_attempt(make_quiz, learner):
    quiz = make_quiz()
    ids = in_threads(8, lambda i: attempt_start(user=learner, quiz=quiz).pk)
    assert len(set(ids)) == 1
    assert Attempt.objects.filter(user=learner, status="open").count() == 1


def test_concurrent_autosaves_of_one_question_keep_the_highest_sequence(
    make_quiz, learner
):
    quiz = make_quiz()
    attempt = attempt_start(user=learner, quiz=quiz)
    qid = attempt.question_ids[0]
    choices = attempt.choice_order[str(qid)]

    for round_ in range(5):

        def save(i, round_=round_):
            fresh = Attempt.objects.get(pk=attempt.pk)
            return answer_autosave(
                attempt=fresh,
                question_id=qid,
                choice_ids=[choices[i % len(choices)]],
                seq=round_ * 100 + i + 1,
            ).saved

        results = in_threads(12, save)
        assert any(results)
        stored = Answer.objects.get(attempt=attempt, question_id=qid)
        assert stored.seq == round_ * 100 + 12
        assert stored.choice_ids == [choices[11 % len(choices)]]


def test_autosave_racing_submit_is_either_graded_or_refused(make_quiz, make_learner):
    """An acknowledged autosave is always in the graded attempt."""
    quiz = make_quiz(attempts_allowed=0)
    for round_ in range(6):
        user = make_learner()
        attempt = attempt_start(user=user, quiz=quiz)
        qid = attempt.question_ids[0]
        choice = attempt.choice_order[str(qid)][0]

        def act(i, attempt=attempt, qid=qid, choice=choice, round_=round_):
            fresh = Attempt.objects.get(pk=attempt.pk)
            if i == 0:
                return ("submit", attempt_submit(attempt=fresh, answers=[]).pk)
            try:
                answer_autosave(
                    attempt=fresh,
                    question_id=qid,
                    choice_ids=[choice],
                    seq=round_ * 100 + i,
                )
                return ("saved", i)
            except AttemptClosed:
                return ("refused", i)

        outcomes = in_threads(4, act)
        finished = attempt_for_user(attempt_id=attempt.pk, user_id=user.pk)
        saved = [i for kind, i in outcomes if kind == "saved"]
        stored = Answer.objects.filter(attempt=attempt, question_id=qid).first()
        if saved:
            assert stored is not None and stored.seq == round_ * 100 + max(saved)
            expected = 1.0 if [choice] == sorted(_correct(qid)) else 0.0
            assert finished.per_question[str(qid)] == expected
        else:
            assert stored is None


def test_double_submit_grades_once(make_quiz, learner):
    quiz = make_quiz()
    attempt = attempt_start(user=learner, quiz=quiz)
    qid = attempt.question_ids[0]
    answers = [SubmittedAnswer(question_id=qid, choice_ids=_correct(qid), seq=1)]
    results = in_threads(
        6,
        lambda i: attempt_submit(
            attempt=Attempt.objects.get(pk=attempt.pk), answers=answers
        ),
    )
    assert {r.finished_at for r in results} == {Attempt.objects.get().finished_at}
    assert {r.points for r in results} == {1.0}


def _correct(qid: int) -> list[int]:
    from quizzes.models import Choice

    return list(
        Choice.objects.filter(question_id=qid, correct=True).values_list(
            "pk", flat=True
        )
    )


def test_one_learners_submit_does_not_wait_for_anothers(
    make_quiz, make_learner, monkeypatch
):
    """While one attempt of a test is being graded, another learner's submit of
    the same test goes through: the finish locks the attempt, not the test."""
    from django.db import transaction

    import quizzes.services as services

    quiz = make_quiz()
    first, second = make_learner(), make_learner()
    slow = attempt_start(user=first, quiz=quiz)
    other = attempt_start(user=second, quiz=quiz)
    grading, release = threading.Event(), threading.Event()
    real_grade = services._grade

    def held_grade(attempt, answers):
        if attempt.pk == slow.pk:
            grading.set()
            release.wait(10)
        real_grade(attempt, answers)

    monkeypatch.setattr(services, "_grade", held_grade)

    def submit_first():
        try:
            return attempt_submit(attempt=slow, answers=[]).status
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(submit_first)
        try:
            assert grading.wait(10)
            with transaction.atomic(), connection.cursor() as cursor:
                # Fails fast instead of waiting if the first submit's locks
                # reach past its own attempt.
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                finished = attempt_submit(attempt=other, answers=[])
            assert finished.status == "finished"
        finally:
            release.set()
        assert pending.result(timeout=20) == "finished"
