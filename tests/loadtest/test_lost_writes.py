"""The lost-write check: an acknowledged autosave must be in PostgreSQL with
its sequence number and choices (or a newer save of the same question), an
acknowledged submit must have finished its attempt."""

from loadtest.loadkit.lost import lost_writes


def test_stored_answers_and_finished_attempts_lose_nothing():
    result = lost_writes(
        acked_answers={(1, 10): (5, [100]), (1, 11): (6, [110, 111])},
        stored_answers={(1, 10): (5, [100]), (1, 11): (6, [111, 110])},
        acked_submits={1},
        finished_attempts={1},
    )
    assert result.lost == 0
    assert result.answers_checked == 2 and result.submits_checked == 1


def test_a_newer_stored_save_keeps_an_older_acknowledged_one():
    result = lost_writes(
        acked_answers={(1, 10): (5, [100])},
        stored_answers={(1, 10): (9, [101])},
        acked_submits=set(),
        finished_attempts=set(),
    )
    assert result.lost == 0


def test_missing_older_or_different_answers_are_lost():
    result = lost_writes(
        acked_answers={
            (1, 10): (5, [100]),  # not stored at all
            (1, 11): (7, [110]),  # stored, but an older save
            (2, 10): (4, [200]),  # same seq, other choice
        },
        stored_answers={(1, 11): (6, [110]), (2, 10): (4, [201])},
        acked_submits=set(),
        finished_attempts=set(),
    )
    assert result.answers_lost == 3
    assert result.lost == 3


def test_an_acknowledged_submit_of_an_open_attempt_is_lost():
    result = lost_writes(
        acked_answers={},
        stored_answers={},
        acked_submits={1, 2},
        finished_attempts={2, 3},
    )
    assert result.submits_lost == 1
    assert result.lost == 1
