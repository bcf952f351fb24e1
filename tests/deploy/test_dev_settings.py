"""The demo's settings (hocvuso.settings.dev, used by deploy/demo): links and
certificate QR codes follow the port and address it is served at, and its
runserver speaks ASGI so the websockets work."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import get_commands
from certificates.models import Certificate
from certificates.services import verify_url
print(json.dumps({
    "qr": verify_url(Certificate(code="abc")),
    "cms": settings.WAGTAILADMIN_BASE_URL,
    "hosts": settings.ALLOWED_HOSTS,
    "runserver": get_commands()["runserver"],
}))
"""


def _dev(**env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SITE_URL", "PORT", "HOST", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "hocvuso.settings.dev", **env}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT / "platform",
        env=clean | {"PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_certificate_qr_follows_the_demo_port():
    served = _dev(PORT="8101")
    assert served["qr"] == "http://127.0.0.1:8101/xac-minh/abc/"
    assert served["cms"] == "http://127.0.0.1:8101"
    assert _dev()["qr"] == "http://127.0.0.1:8000/xac-minh/abc/"


def test_served_to_the_network_links_point_at_an_address_a_phone_reaches():
    served = _dev(HOST="0.0.0.0", PORT="8101")
    host = served["cms"].removeprefix("http://").rsplit(":", 1)[0]
    assert host != "0.0.0.0"
    assert host in served["hosts"]  # a phone on the network is let in
    assert served["qr"].startswith(f"http://{host}:8101/")


def test_an_explicit_site_url_wins():
    served = _dev(PORT="8101", SITE_URL="https://hoc.example.vn")
    assert served["qr"] == "https://hoc.example.vn/xac-minh/abc/"


def test_demo_runserver_is_asgi_for_the_websockets():
    assert _dev()["runserver"] == "daphne"
