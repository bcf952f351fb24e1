"""The embedded default: everything in one process, nothing to install.

manage.py falls back to these settings when DJANGO_SETTINGS_MODULE is unset,
so they refuse to serve a public host name: with DEBUG on, every error page
would show the code, the settings and the request to whoever asked."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403
from .base import ALLOWED_HOSTS, BASE_DIR, DATABASES  # noqa: E402


def _is_local(host: str) -> bool:
    """This machine or a private network (a phone on the developer's Wi-Fi)."""
    name = host.strip("[]")
    if name in {"localhost", "testserver"} or name.endswith((".localhost", ".local")):
        return True
    try:
        return ipaddress.ip_address(name).is_private
    except ValueError:
        return False


_public = [host for host in ALLOWED_HOSTS if not _is_local(host.lstrip("."))]
if _public:
    raise ImproperlyConfigured(
        "Cấu hình phát triển (hocvuso.settings.dev, DEBUG bật) không chạy với tên "
        f"miền công khai {', '.join(_public)} trong ALLOWED_HOSTS. Máy chủ thật: "
        "đặt DJANGO_SETTINGS_MODULE=hocvuso.settings.production."
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
