"""Settings for the test suite.

With DATABASE_URL and REDIS_URL set (as .ci/run does) the suite runs on
PostgreSQL and Redis; without them, on SQLite and local memory.
"""

from .base import *  # noqa: F403
from .base import DATABASES

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
