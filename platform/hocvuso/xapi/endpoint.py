"""The one rule for an LRS address, applied when an administrator saves it
and again before anything is sent to it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hocvuso.core.text import text_clean

MAX_LENGTH = 300
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def local_http_allowed() -> bool:
    return settings.DEBUG or settings.XAPI_ALLOW_LOCAL_HTTP


def endpoint_clean(value: str, *, field: str) -> str:
    """The address without a trailing slash; a Vietnamese ValidationError
    for anything but https (or http to this computer in development)."""
    value = text_clean(value, field=field, max_length=MAX_LENGTH).strip()
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (a bad port raises here)
    except ValueError:
        parts, host = None, ""
    plain_local = (
        parts is not None
        and parts.scheme == "http"
        and host in LOCAL_HOSTS
        and local_http_allowed()
    )
    if (
        parts is None
        or not host
        or parts.username
        or parts.password
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in value)
        or not (parts.scheme == "https" or plain_local)
    ):
        raise ValidationError(
            _(
                "Địa chỉ LRS phải bắt đầu bằng https:// và chỉ gồm tên máy chủ và "
                "đường dẫn, ví dụ https://lrs.hue.gov.vn/xapi (không kèm tên đăng "
                "nhập, dấu ? hay #)."
            ),
            code="endpoint",
        )
    return value.rstrip("/")
