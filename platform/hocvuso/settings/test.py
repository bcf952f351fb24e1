"""Settings for the test suite.

With DATABASE_URL and REDIS_URL set (as .ci/run does) the suite runs on
PostgreSQL and Redis; without them, on SQLite and local memory.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES, CHANNEL_LAYERS, DATABASES, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "hocvuso.accounts.hashers.InitialPasswordHasher",
]
SMS_BACKEND = "hocvuso.accounts.sms.LocmemBackend"
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The admin pages' own tests log in with force_login and no authenticator app;
# the two-factor tests (tests/hocvuso/accounts/test_admin_mfa.py and
# tests/browser/test_admin_mfa.py) turn the requirement on.
ADMIN_MFA_REQUIRED = False
# The xAPI tests' LRS stand-in listens on http://127.0.0.1 (tests/xapi_lrs.py).
XAPI_ALLOW_LOCAL_HTTP = True

# pytest-xdist runs the suite in several processes (tests/run). Each empties
# the cache between tests, so each needs a Redis database of its own: worker
# gwN takes the database N below the one REDIS_URL names (CI: 15, 14, …).
# The environment is changed too, so the real Celery workers and servers the
# tests start talk to the same database as the test that started them.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _XDIST_WORKER:
    _url = urlsplit(REDIS_URL)
    _db = int(_url.path.strip("/") or 0) - int(_XDIST_WORKER.removeprefix("gw"))
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_db % 16}"))
    os.environ["REDIS_URL"] = REDIS_URL
    CACHES["default"]["LOCATION"] = REDIS_URL
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["address"] = REDIS_URL
    CELERY_BROKER_URL = REDIS_URL
