"""A real Celery worker on the Redis broker drains the outbox: with the LRS
down the statements stay, with backoff; once it is back, one run sends
each exactly once."""

import pytest
from django.db import connection
from django.utils import timezone
from hocvuso.xapi.models import Statement
from hocvuso.xapi.tasks import outbox_drain_task

from tests.completion_helpers import final_test_take, lessons_complete
from tests.real_worker import REAL_WORKER, wait_until, worker_start, worker_stop

pytestmark = REAL_WORKER


def _runs_done(log: str) -> int:
    return sum(
        "outbox_drain_task" in line and "succeeded" in line for line in log.splitlines()
    )


def test_a_worker_keeps_statements_through_an_outage_and_sends_them_once(
    real_broker, xapi_world, make_learner, lrs, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    lrs.stop()
    learner = make_learner(unit=xapi_world.tree.communes[0])
    lessons_complete(learner, xapi_world.course)
    final_test_take(learner, xapi_world.quiz)
    assert Statement.objects.count() == 6

    worker, log = worker_start(tmp_path, "xapi")
    try:
        # The certificate, issued by the worker, is the seventh.
        wait_until(
            lambda: Statement.objects.count() == 7,
            timeout=90,
            what="the certificate's statement",
        )
        written = 7
        outbox_drain_task.delay()
        wait_until(
            lambda: Statement.objects.filter(attempts=1).count() == written,
            timeout=90,
            what=f"the failed send\n{log.read_text()}",
        )
        assert "ConnectionError" in Statement.objects.first().last_error
        assert not Statement.objects.exclude(sent_at=None).exists()

        lrs.start()
        # The backoff has passed.
        Statement.objects.update(next_attempt_at=timezone.now())
        outbox_drain_task.delay()
        wait_until(
            lambda: not Statement.objects.filter(sent_at=None).exists(),
            timeout=90,
            what=f"the send after the return\n{log.read_text()}",
        )
        outbox_drain_task.delay()  # a second run sends nothing again
        outbox_drain_task.delay()
        wait_until(
            lambda: _runs_done(log.read_text()) == 4,
            timeout=60,
            what=f"the last runs\n{log.read_text()}",
        )
    finally:
        worker_stop(worker)
    received = [s["id"] for post in lrs.posts for s in post.statements]
    assert len(received) == len(set(received)) == written
    assert set(received) == {
        str(i) for i in Statement.objects.values_list("statement_id", flat=True)
    }
