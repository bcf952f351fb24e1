"""Distributed Locust on one machine (loadtest/run: one master, K workers,
each with its own descriptor limit): every worker must drive learners of
its own, whatever share of the users the master hands it."""

from itertools import islice

import pytest

from loadtest.loadkit.workers import (
    address_numbers,
    learner_indices,
    seed_slack,
    worker_slot,
    workers_for,
)


def _shares(users: int, workers: int) -> list[int]:
    """Locust's master: each worker's share differs by at most one, and
    which worker gets the larger shares is not promised."""
    base, extra = divmod(users, workers)
    return [base + (1 if i >= workers - extra else 0) for i in range(workers)]


@pytest.mark.parametrize(
    ("users", "workers"), [(200, 1), (10_001, 3), (19_000, 5), (7, 4)]
)
def test_workers_take_distinct_seeded_learners(users, workers):
    seeded = users + seed_slack(workers)
    taken = []
    for i, share in enumerate(_shares(users, workers)):
        indices = list(islice(learner_indices(f"{i}/{workers}"), share))
        # loadtest/run seeds the slack: no index wraps round (index % seeded).
        assert all(index < seeded for index in indices)
        taken += indices
    assert len(taken) == users
    assert len(set(taken)) == users, "two workers would drive the same account"


def test_every_simulated_learner_has_its_own_address_across_workers():
    numbers = [n for i in range(4) for n in islice(address_numbers(f"{i}/4"), 500)]
    assert len(set(numbers)) == 2000
    assert min(numbers) == 1  # 10.0.0.1 onwards, never 10.0.0.0


def test_one_process_plays_every_learner_in_order():
    assert list(islice(learner_indices(None), 3)) == [0, 1, 2]
    assert worker_slot("") == (0, 1)


def test_a_worker_outside_its_group_is_refused():
    with pytest.raises(ValueError):
        worker_slot("4/4")


def test_one_worker_per_4000_users_unless_told():
    assert workers_for(200) == 1
    assert workers_for(10_000) == 3
    assert workers_for(19_000) == 5
    assert workers_for(19_000, override="2") == 2
