"""A real Celery worker on the Redis broker: a learner passes the final test
and exactly one certificate exists, also when the worker is SIGKILLed in the
middle of rendering and the task is delivered again, and when the task is
sent a second time.

The worker runs against the pytest database (transaction=True, so what the
test writes is committed and visible to it) and writes files to a MEDIA_ROOT
of its own."""

import signal
import subprocess

import pytest
from django.db import connection

from certificates.models import Certificate
from certificates.tasks import certificate_issue_task
from courses.models import CourseCompletion, CoursePage
from tests.completion_helpers import final_test_take, lessons_complete
from tests.real_worker import REAL_WORKER, wait_until, worker_start, worker_stop

pytestmark = REAL_WORKER

NAME = "Nguyễn Thị Hồng Nhung"


def test_one_certificate_despite_a_killed_worker_and_a_second_delivery(
    real_broker, make_learner, make_quiz, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    quiz = make_quiz(questions=4, draw=4)
    learner = make_learner(full_name=NAME)
    marker = tmp_path / "rendering"
    first, first_log = worker_start(
        tmp_path, "first", CERTIFICATES_RENDER_PAUSE_FILE=str(marker)
    )
    second = None
    try:
        lessons_complete(learner, CoursePage.objects.get())
        final_test_take(learner, quiz)  # commits; the task goes to Redis
        wait_until(
            marker.exists,
            timeout=90,
            what=f"the render to start\n{first_log.read_text()}",
        )
        # The row is committed before rendering; the files are not there yet.
        assert Certificate.objects.get().pdf == ""
        worker_stop(first, signal.SIGKILL)  # killed mid-task: the message is unacked

        second, second_log = worker_start(tmp_path, "second")
        done = wait_until(
            lambda: Certificate.objects.exclude(pdf="").first(),
            timeout=90,
            what=f"the redelivered task\n{second_log.read_text()}",
        )
        # And the same task sent once more changes nothing.
        certificate_issue_task.delay(
            course_completion_id=CourseCompletion.objects.get().pk
        )
        wait_until(
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
        worker_stop(first, signal.SIGKILL)
        if second is not None:
            worker_stop(second)
