"""A hung Redis broker (SIGSTOP: fault 5 of loadtest/faults) turns a task
publish into a quick error, not a request that waits for as long as Redis
does: kombu's Redis transport has no socket timeout of its own."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# In a process of its own: a Celery app and kombu's connection pools are
# process-wide, and a publisher left pointing at the hung socket would reach
# the tests that run after this one.
PUBLISH = """
import json, sys, time
import django
django.setup()
from celery import Celery
app = Celery("hung", set_as_current=False)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.broker_url = sys.argv[1]
app.conf.task_always_eager = False
started = time.monotonic()
try:
    app.send_task("quizzes.tasks.deadlines_push_task", args=[[1]])
    error = None
except Exception as exc:  # whatever kombu raises, it must raise
    error = repr(exc)
print(json.dumps({"error": error, "seconds": time.monotonic() - started}))
"""


@pytest.fixture
def hung_redis():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def test_publishing_to_a_hung_broker_gives_up_within_seconds(hung_redis):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        "DJANGO_SETTINGS_MODULE": "hocvuso.settings.test",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", PUBLISH, hung_redis],
            env=env,
            capture_output=True,
            text=True,
            timeout=40,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the publish still waits on the hung broker after 40 s")
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["error"] is not None
    assert outcome["seconds"] < 30
