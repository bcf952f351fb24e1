"""Several Locust processes on one plan: loadtest/run starts one master and
K workers (one process's file-descriptor limit, 20,000 here, holds about
10,000 keep-alive learners at most), each worker with LOAD_WORKER=i/K.

Worker i plays seeded learners i, i+K, i+2K, …: no two workers drive the
same account. Locust's master hands each worker a share of every user class
that differs from the others' by at most one, so a worker plays at most
ceil(users/K) learners of a class; seeding users + K - 1 learners per
population (`seed_slack`) keeps every index below the number seeded, so no
worker wraps round onto another worker's learner."""

from itertools import count

USERS_PER_WORKER = 4000


def workers_for(users: int, *, override: str | None = None) -> int:
    """How many worker processes: one per 4,000 users (a process saturates
    its core before its descriptors run out), at least one; LOAD_WORKERS
    (`override`) wins."""
    if override:
        return max(1, int(override))
    return max(1, -(-users // USERS_PER_WORKER))


def seed_slack(workers: int) -> int:
    """Extra learners to seed per population so that uneven shares never
    wrap (see the module's docstring)."""
    return workers - 1


def worker_slot(spec: str | None) -> tuple[int, int]:
    """(i, K) from LOAD_WORKER "i/K"; a single process is "0/1"."""
    worker, _, workers = (spec or "0/1").partition("/")
    slot, total = int(worker), int(workers or 1)
    if not 0 <= slot < total:
        raise ValueError(f"LOAD_WORKER={spec!r}: want i/K with 0 <= i < K")
    return slot, total


def learner_indices(spec: str | None) -> count:
    """The seeded learners this process plays, in order."""
    slot, total = worker_slot(spec)
    return count(slot, total)


def address_numbers(spec: str | None) -> count:
    """Numbers for each simulated learner's X-Forwarded-For (10.x.y.z): from 1,
    distinct across workers, as the application's per-address limits expect
    one address per learner."""
    slot, total = worker_slot(spec)
    return count(slot + 1, total)
