"""Production: only hardens what base.py sets, and insists on real secrets."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

if not os.environ.get("SECRET_KEY") or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured(
        "Đặt biến môi trường SECRET_KEY (ít nhất 50 ký tự ngẫu nhiên)."
    )

DEBUG = False
# Production always runs behind our nginx (deploy/nginx/hocvuso.conf).
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
DJANGO_ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SMS_BACKEND = os.environ.get("SMS_BACKEND", "hocvuso.accounts.sms.HttpGatewayBackend")
STORAGES = {
    "default": {"BACKEND": "hocvuso.core.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}
# Templates are compiled once per process: the cached loader is Django's
# default when DEBUG is off, nothing to add here.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
