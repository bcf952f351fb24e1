"""platform/ must never become a package: it would shadow the standard
module that uuid, Django's ORM, Celery, pytest and Locust import."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_import_platform_gives_the_standard_module():
    # A fresh interpreter with the repository first on sys.path, as pytest
    # and manage.py set it up; in this process platform is imported already.
    code = (
        "import sys; sys.path[:0] = ['.', 'platform']; import platform; "
        "print(platform.python_implementation(), platform.__file__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    implementation, location = out.split()
    assert implementation in {"CPython", "PyPy"}
    assert not location.startswith(str(REPO))
    assert not (REPO / "platform" / "__init__.py").exists()
