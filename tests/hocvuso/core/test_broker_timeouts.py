"""A hung Redis broker (SIGSTOP: fault 5 of loadtest/faults) turns a task
publish into a quick error, not a request that waits for as long as Redis
does: kombu's Redis transport has no socket timeout of its own."""

import socket
import threading
import time

import pytest
from celery import Celery


@pytest.fixture
def hung_redis():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_publishing_to_a_hung_broker_gives_up_within_seconds(hung_redis):
    app = Celery("hung")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = hung_redis
    app.conf.task_always_eager = False
    outcome = {}

    def publish():
        started = time.monotonic()
        try:
            app.send_task("quizzes.tasks.deadlines_push_task", args=[[1]])
            outcome["error"] = None
        except Exception as error:  # whatever kombu raises, it must raise
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=publish, daemon=True)
    thread.start()
    thread.join(timeout=40)
    assert not thread.is_alive(), (
        "the publish still waits on the hung broker after 40 s"
    )
    assert outcome["error"] is not None
    assert outcome["seconds"] < 30
