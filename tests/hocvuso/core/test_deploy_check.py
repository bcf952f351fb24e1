import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a production host would have: the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE in this process, which check --deploy flags.
    inherited = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in inherited}
    environment.update(DJANGO_SETTINGS_MODULE="hocvuso.settings.production", **env)
    return subprocess.run(
        [sys.executable, "platform/manage.py", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_with_production_settings_reports_nothing():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        SECRET_KEY="k" * 20 + "Vx9#q2LmZ!p8Rt5Wb7Yc1Nd4Fh6Jg3Ks0Ae",
        ALLOWED_HOSTS="hocvuso.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_beat_runs_the_quiz_sweep_and_the_reminders():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks >= {
        "quizzes.tasks.attempts_overdue_finish_task",
        "hocvuso.orgunits.tasks.assignment_reminders_send_task",
    }
