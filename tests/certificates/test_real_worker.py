"""A real Celery worker on the Redis broker: a learner passes the final test
and exactly one certificate exists, also when the worker is SIGKILLed in the
middle of rendering and the task is delivered again, and when the task is
sent a second time.

The worker runs against the pytest database (transaction=True, so what the
test writes is committed and visible to it) and writes files to a MEDIA_ROOT
of its own."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from certificates.models import Certificate
from certificates.tasks import certificate_issue_task
from courses.models import CourseCompletion, CoursePage
from tests.completion_helpers import final_test_take, lessons_complete

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs the Redis broker (REDIS_URL) and PostgreSQL; CI sets both",
    ),
]

REPO = Path(__file__).resolve().parents[2]
NAME = "Nguyễn Thị Hồng Nhung"


def _wait(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def _worker(tmp_path: Path, name: str, **env) -> tuple[subprocess.Popen, Path]:
    db = settings.DATABASES["default"]
    log = tmp_path / f"{name}.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hocvuso.settings.dev",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/"
            f"{connection.settings_dict['NAME']}"
        ),
        "DB_POOL_MIN": "1",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_RESTORE_INTERVAL": "1",
        "CELERY_RESTORE_THROTTLE": "1",
        "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'platform'}",
        **env,
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "hocvuso",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=info",
            f"--hostname={name}@%h",
        ],
        cwd=REPO / "platform",
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture
def real_broker():
    from hocvuso.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    yield app
    app.control.purge()
    app.conf.task_always_eager = eager


def test_one_certificate_despite_a_killed_worker_and_a_second_delivery(
    real_broker, make_learner, make_quiz, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    quiz = make_quiz(questions=4, draw=4)
    learner = make_learner(full_name=NAME)
    marker = tmp_path / "rendering"
    first, first_log = _worker(
        tmp_path, "first", CERTIFICATES_RENDER_PAUSE_FILE=str(marker)
    )
    second = None
    try:
        lessons_complete(learner, CoursePage.objects.get())
        final_test_take(learner, quiz)  # commits; the task goes to Redis
        _wait(
            marker.exists,
            timeout=90,
            what=f"the render to start\n{first_log.read_text()}",
        )
        # The row is committed before rendering; the files are not there yet.
        assert Certificate.objects.get().pdf == ""
        _stop(first, signal.SIGKILL)  # killed mid-task: the message is unacked

        second, second_log = _worker(tmp_path, "second")
        done = _wait(
            lambda: Certificate.objects.exclude(pdf="").first(),
            timeout=90,
            what=f"the redelivered task\n{second_log.read_text()}",
        )
        # And the same task sent once more changes nothing.
        certificate_issue_task.delay(
            course_completion_id=CourseCompletion.objects.get().pk
        )
        _wait(
            lambda: second_log.read_text().count("succeeded") >= 2,
            timeout=60,
            what=f"the second delivery\n{second_log.read_text()}",
        )
        assert Certificate.objects.count() == 1
        pdf = tmp_path / "media" / done.pdf.name
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert NAME in text and done.serial in text
        assert (tmp_path / "media" / done.png.name).read_bytes().startswith(b"\x89PNG")
    finally:
        _stop(first, signal.SIGKILL)
        if second is not None:
            _stop(second)
