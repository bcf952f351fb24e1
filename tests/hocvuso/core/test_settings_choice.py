"""Which settings a process runs with when DJANGO_SETTINGS_MODULE is unset.

A Celery worker or beat is a production process: it loads the production
settings, which refuse to start without a real SECRET_KEY. manage.py keeps
the development settings for a newcomer, and they refuse a public host name:
a production host that forgot DJANGO_SETTINGS_MODULE stops with a message
instead of running with DEBUG on."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
REAL_KEY = "k" * 20 + "Vx9#q2LmZ!p8Rt5Wb7Yc1Nd4Fh6Jg3Ks0Ae"


def _run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    # what an operator's shell would have: no settings module, none of the
    # test run's variables that name one
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    environment.update(PYTHONPATH=f"{REPO}{os.pathsep}{REPO / 'platform'}", **env)
    return subprocess.run(
        command,
        cwd=REPO / "platform",
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _celery_report(**env: str) -> subprocess.CompletedProcess:
    # `celery report` loads the app and its Django settings, as a worker does
    return _run([str(BIN / "celery"), "-A", "hocvuso", "report"], **env)


def test_a_celery_worker_without_settings_module_refuses_to_run_without_a_key():
    result = _celery_report()
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr
    assert "DEBUG: True" not in result.stdout


def test_a_celery_worker_without_settings_module_runs_production_settings():
    result = _celery_report(SECRET_KEY=REAL_KEY)
    assert "SETTINGS_MODULE: 'hocvuso.settings.production'" in result.stdout
    assert "DEBUG: False" in result.stdout


def test_manage_py_without_settings_module_refuses_a_public_host():
    result = _run(
        [sys.executable, "manage.py", "check"],
        ALLOWED_HOSTS="hocvu.quangngai.example.vn,localhost",
        SECRET_KEY=REAL_KEY,
    )
    assert result.returncode != 0
    assert "hocvu.quangngai.example.vn" in result.stderr
    assert "DJANGO_SETTINGS_MODULE=hocvuso.settings.production" in result.stderr
    # any host at all, with DEBUG on, is refused too
    result = _run([sys.executable, "manage.py", "check"], ALLOWED_HOSTS="*")
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr


def test_manage_py_without_settings_module_still_serves_a_developer():
    # this machine, and a phone on the developer's Wi-Fi
    for hosts in ("", "localhost,127.0.0.1,[::1]", "192.168.1.20,localhost"):
        env = {"ALLOWED_HOSTS": hosts} if hosts else {}
        result = _run([sys.executable, "manage.py", "check"], **env)
        assert result.returncode == 0, result.stderr
        assert "no issues" in result.stdout
