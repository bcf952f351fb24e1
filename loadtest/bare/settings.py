"""loadtest/ratio's floor: Django 5.2 with nothing of the project's on the
request path (no middleware, no sessions, no templates), the project's own
database settings (same DATABASE_URL, psycopg pool and options). A view here
costs what the framework, gunicorn and one PostgreSQL read cost."""

import os

from hocvuso.settings.base import DATABASES  # noqa: F401  the project's, unchanged

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
INSTALLED_APPS = ["django.contrib.contenttypes"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "loadtest.bare.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
