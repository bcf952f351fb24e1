"""The pure grading engine and clock, exhaustively."""

from datetime import UTC, datetime, timedelta
from itertools import chain, combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.engine.clock import accepts_answers, deadline_for, remaining_seconds
from quizzes.engine.scoring import Kind, QuestionKey, question_points, score

CHOICES = frozenset({1, 2, 3, 4})


def subsets(items):
    items = sorted(items)
    return [
        frozenset(c)
        for c in chain.from_iterable(
            combinations(items, r) for r in range(len(items) + 1)
        )
    ]


@pytest.mark.parametrize("chosen", subsets(CHOICES))
def test_single_choice_scores_only_the_exact_right_answer(chosen):
    key = QuestionKey(id=1, kind=Kind.SINGLE, choices=CHOICES, correct=frozenset({3}))
    assert question_points(key, chosen) == (1.0 if chosen == {3} else 0.0)


@pytest.mark.parametrize("chosen", subsets(CHOICES))
def test_multiple_all_or_nothing(chosen):
    key = QuestionKey(
        id=1, kind=Kind.MULTIPLE, choices=CHOICES, correct=frozenset({1, 3})
    )
    assert question_points(key, chosen) == (1.0 if chosen == {1, 3} else 0.0)


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        (set(), 0),
        ({1}, 0.5),
        ({3}, 0.5),
        ({1, 3}, 1),
        ({1, 2}, 0),
        ({1, 3, 2}, 0.5),
        ({1, 2, 3, 4}, 0),
        ({2, 4}, 0),
    ],
)
def test_multiple_partial_credit(chosen, points):
    key = QuestionKey(
        id=1,
        kind=Kind.MULTIPLE,
        choices=CHOICES,
        correct=frozenset({1, 3}),
        partial_credit=True,
    )
    assert question_points(key, frozenset(chosen)) == points


@given(
    st.sets(st.integers(min_value=1, max_value=6)),
    st.sets(st.integers(1, 6), min_size=1),
)
def test_partial_credit_is_between_zero_and_full(chosen, correct):
    key = QuestionKey(
        id=1,
        kind=Kind.MULTIPLE,
        choices=frozenset(range(1, 7)),
        correct=frozenset(correct),
        partial_credit=True,
    )
    assert 0.0 <= question_points(key, frozenset(chosen)) <= 1.0
    assert question_points(key, frozenset(correct)) == 1.0


def test_score_adds_up_and_decides_the_pass():
    keys = [
        QuestionKey(
            id=i,
            kind=Kind.TRUE_FALSE,
            choices=frozenset({10 * i, 10 * i + 1}),
            correct=frozenset({10 * i}),
        )
        for i in range(1, 11)
    ]
    answers = {i: frozenset({10 * i}) for i in range(1, 8)} | {8: frozenset({81})}
    result = score(keys, answers)
    assert (result.points, result.max_points, result.percent) == (7, 10, 70.0)
    assert result.passed(70) and not result.passed(71)
    assert result.per_question[8] == 0 and result.per_question[10] == 0


def test_empty_quiz_never_passes():
    assert not score([], {}).passed(0)


T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_deadline_is_limit_plus_extra_capped_by_close():
    limit, extra = timedelta(minutes=15), timedelta(minutes=5)
    assert deadline_for(started=T0, time_limit=limit, extra=extra, closes_at=None) == (
        T0 + timedelta(minutes=20)
    )
    close = T0 + timedelta(minutes=10)
    assert (
        deadline_for(started=T0, time_limit=limit, extra=extra, closes_at=close)
        == close
    )


def test_answers_accepted_until_deadline_plus_grace():
    grace = timedelta(seconds=60)
    assert accepts_answers(deadline=T0, grace=grace, now=T0 + timedelta(seconds=60))
    assert not accepts_answers(deadline=T0, grace=grace, now=T0 + timedelta(seconds=61))
    assert remaining_seconds(deadline=T0, now=T0 + timedelta(seconds=5)) == 0
    assert remaining_seconds(deadline=T0, now=T0 - timedelta(seconds=90)) == 90


def _bank(spec):
    from quizzes.bank import BankChoice, BankQuestion

    return {
        qid: BankQuestion(
            id=qid,
            kind="single",
            text=f"q{qid}",
            explanation="",
            partial_credit=False,
            tags=tuple(tags),
            choices=(
                BankChoice(qid * 10, "a", True),
                BankChoice(qid * 10 + 1, "b", False),
            ),
        )
        for qid, tags in spec.items()
    }


def test_draw_fills_tag_quotas_first_then_the_rest():
    import random

    from quizzes.bank import questions_draw

    bank = _bank(
        {1: ["a"], 2: ["a"], 3: ["a"], 4: ["b"], 5: ["b"], 6: [], 7: [], 8: []}
    )
    for seed in range(30):
        ids, order = questions_draw(
            bank,
            count=5,
            tags=["a:2", "b:1"],
            shuffle_choices=True,
            rng=random.Random(seed),
        )
        assert len(ids) == len(set(ids)) == 5
        assert sum(1 for i in ids[:2] if i in (1, 2, 3)) == 2 and ids[2] in (4, 5)
        assert set(order) == {str(i) for i in ids}
    only_b, _ = questions_draw(
        bank, count=5, tags=["b"], shuffle_choices=False, rng=random.Random(1)
    )
    assert sorted(only_b) == [4, 5]
