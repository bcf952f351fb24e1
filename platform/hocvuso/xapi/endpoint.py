"""The one rule for an LRS address, applied when an administrator saves it
and again before anything is sent to it."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hocvuso.core.text import text_clean

MAX_LENGTH = 300
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def local_http_allowed() -> bool:
    return settings.DEBUG or settings.XAPI_ALLOW_LOCAL_HTTP


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global


def _internal_refused() -> ValidationError:
    return ValidationError(
        _(
            "Địa chỉ LRS phải là một máy chủ trên Internet, không phải một địa chỉ "
            "trong mạng nội bộ của hệ thống."
        ),
        code="internal",
    )


def _local_stand_in(host: str) -> bool:
    return host in LOCAL_HOSTS and local_http_allowed()


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
    # A province administrator sets this address and the worker posts to it:
    # it must not reach the servers' own network. Names are resolved only
    # before sending (endpoint_public_check): saving needs no DNS.
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and _internal(host) and not _local_stand_in(host):
        raise _internal_refused()
    return value.rstrip("/")


def endpoint_public_check(value: str) -> None:
    """Before anything is sent: every address the host name resolves to is
    on the Internet (a name, or a number such as 2130706433, may lead back
    to this computer or its network). A name that does not resolve is left
    to the send, which fails and is retried. The address is resolved again
    when connecting, so a DNS answer changed in between is not caught."""
    host = urlsplit(value).hostname or ""
    if _local_stand_in(host):
        return
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return
    if any(_internal(info[4][0]) for info in found):
        raise _internal_refused()
