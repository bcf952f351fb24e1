"""The embedded default: everything in one process, nothing to install.

manage.py falls back to these settings when DJANGO_SETTINGS_MODULE is unset,
so they refuse to serve a public host name: with DEBUG on, every error page
would show the code, the settings and the request to whoever asked."""

import ipaddress
import os
import socket

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DEBUG", "true")


def _lan_address() -> str:
    """The address other devices on the network reach this machine at (a UDP
    "connect" only picks the outgoing interface; nothing is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"


# deploy/demo serves at HOST:PORT; links, the CMS and certificate QR codes must
# point there too (a QR aimed at :8000 on a demo served at :8101 is dead), and a
# phone on the same network must be let in by ALLOWED_HOSTS.
_host = os.environ.get("HOST", "127.0.0.1")
_public_host = _lan_address() if _host in ("0.0.0.0", "::") else _host
os.environ.setdefault(
    "SITE_URL", f"http://{_public_host}:{os.environ.get('PORT', '8000')}"
)
# .localhost: the demo's second province site, hue.localhost (issue 22).
os.environ.setdefault(
    "ALLOWED_HOSTS", f"localhost,.localhost,127.0.0.1,[::1],{_public_host}"
)

from .base import *  # noqa: E402,F403
from .base import ALLOWED_HOSTS, BASE_DIR, DATABASES, INSTALLED_APPS  # noqa: E402


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

# Daphne's runserver speaks ASGI, so the websockets (live extra time, the
# training-day dashboard) work in the demo as they do in production.
INSTALLED_APPS = ["daphne", *INSTALLED_APPS]

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
