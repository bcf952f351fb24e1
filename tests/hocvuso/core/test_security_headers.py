"""Content-Security-Policy and Permissions-Policy on every response; no inline
script or event handler in any template, so the policy needs neither
'unsafe-inline' nor nonces for scripts (issue 14)."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part)
    }


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/tai-khoan/dang-nhap/",
        "/khong-co-trang-nay/",
        "/api/openapi.json",
        "/healthz",
        "/cms/login/",
    ],
)
def test_every_response_carries_a_content_security_policy(client, build_catalog, url):
    build_catalog(courses=1, lessons=1)
    response = client.get(url)
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    # No inline script, no eval; Wagtail's admin alone still needs inline ones.
    cms = url.startswith("/cms/")
    assert policy["script-src"] == ["'self'"] + (["'unsafe-inline'"] if cms else [])
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    # hls.js plays from blob: URLs; the quiz page's websocket is same-origin.
    assert "blob:" in policy["media-src"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"] + (["'unsafe-inline'"] if cms else [])


def test_every_response_carries_a_permissions_policy(client, build_catalog):
    build_catalog(courses=1, lessons=1)
    header = client.get("/").headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in header


TEMPLATE_DIRS = [
    ROOT / "platform",
    ROOT / "courses",
    ROOT / "quizzes",
    ROOT / "certificates",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def test_no_template_has_inline_script_handlers_or_style_attributes():
    offenders = []
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("templates/**/*.html"):
            text = template.read_text()
            for pattern in (INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE):
                if pattern.search(text):
                    offenders.append(f"{template.relative_to(ROOT)}: {pattern.pattern}")
    assert offenders == []
