"""What this tool reads from a validated launch's claims, each checked:
the claims are signed by the platform, but a platform's bug or a hostile
registration must still not reach the database or a page unchecked."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hocvuso.core.text import person_name_clean, text_clean
from hocvuso.xapi.endpoint import local_http_allowed

from .launch import LaunchRefused

CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
DEEP_LINKING_SETTINGS = (
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
)
DEPLOYMENT_ID = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
# The custom parameter naming the course: set by a deep-linking answer
# (views.deep_link_answer) or by hand in the LMS (course_id=<number>).
COURSE_PARAMETER = "course_id"
SUB_MAX = 255
URL_MAX = 500


@dataclass(frozen=True)
class GradeService:
    lineitem_url: str
    scopes: list[str]


def service_url_ok(value) -> bool:
    """An address the tool may call: https, or http to this computer in
    development and tests (the same exception as an LRS address)."""
    if not isinstance(value, str) or not value or len(value) > URL_MAX:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if parts.username or parts.password or any(c.isspace() for c in value):
        return False
    if parts.scheme == "https" and parts.hostname:
        return True
    return (
        parts.scheme == "http"
        and parts.hostname in ("127.0.0.1", "localhost", "::1")
        and local_http_allowed()
    )


def subject(claims: dict) -> str:
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > SUB_MAX:
        raise LaunchRefused(
            _("Hệ thống quản lý học tập không gửi mã người học hợp lệ."),
            reason="bad sub",
        )
    try:
        return text_clean(sub, field="sub", max_length=SUB_MAX)
    except ValidationError as error:
        raise LaunchRefused(
            _("Hệ thống quản lý học tập không gửi mã người học hợp lệ."),
            reason="bad sub",
        ) from error


def person_name(claims: dict) -> str:
    """The name the platform gives, when it passes the name rule; the
    learner can set it on their profile otherwise."""
    name = claims.get("name")
    if not isinstance(name, str):
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p for p in parts if isinstance(p, str))
    try:
        return person_name_clean(name) if name else ""
    except ValidationError:
        return ""


def course_id(claims: dict) -> int:
    custom = claims.get(CUSTOM)
    value = custom.get(COURSE_PARAMETER) if isinstance(custom, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise LaunchRefused(
            _(
                "Liên kết trong hệ thống quản lý học tập không chỉ rõ khóa học. "
                "Hãy nhờ giáo viên chọn lại khóa học cho hoạt động này."
            ),
            reason="no course_id",
        )
    number = int(value[:18])
    if len(value) > 18 or number <= 0:
        raise LaunchRefused(
            _("Không tìm thấy khóa học mà liên kết này trỏ tới."), reason="course_id"
        )
    return number


def grade_service(claims: dict) -> GradeService | None:
    """The line item to post scores to, when the platform offers one with
    the score scope; a launch without it is still accepted (no grade)."""
    endpoint = claims.get(AGS_ENDPOINT)
    if not isinstance(endpoint, dict):
        return None
    lineitem = endpoint.get("lineitem")
    scopes = endpoint.get("scope")
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        return None
    if SCORE_SCOPE not in scopes or not service_url_ok(lineitem):
        return None
    return GradeService(lineitem_url=lineitem, scopes=[s[:200] for s in scopes[:10]])


def deep_link_return_url(claims: dict) -> str:
    settings_claim = claims.get(DEEP_LINKING_SETTINGS)
    url = settings_claim.get("deep_link_return_url") if settings_claim else None
    if not service_url_ok(url):
        raise LaunchRefused(
            _("Hệ thống quản lý học tập không gửi địa chỉ nhận khóa học hợp lệ."),
            reason="deep_link_return_url",
        )
    return url
