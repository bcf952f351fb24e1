"""The attendance rules: rotating QR tokens, the code read out in a video
conference, and when a class takes check-ins. No queries here.

A QR token is a TimestampSigner signature of the class id: a photo of the
trainer's screen sent to someone at home is useless once QR_MAX_AGE has
passed, while the screen shows a new one every QR_REFRESH seconds. The
spoken code cannot rotate that fast (people type it), so it changes every
CODE_WINDOW and the previous one is still accepted.
"""

from datetime import datetime, timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

QR_SALT = "hocvuso.training.qr"
QR_MAX_AGE = 30  # seconds a scanned token stays good
QR_REFRESH = 10  # seconds between two tokens on the trainer's screen
CODE_WINDOW = 300  # seconds one spoken code is shown
CODE_DIGITS = 6
# A scan made while logged out: the learner has this long to log in.
LOGIN_GRACE = timedelta(minutes=10)
OPENS_BEFORE = timedelta(minutes=30)
CLOSES_AFTER = timedelta(minutes=30)
LATE_AFTER = timedelta(minutes=15)


class TokenRefused(Exception):
    """The token is forged, malformed or too old."""


def qr_token(class_id: int) -> str:
    return signing.TimestampSigner(salt=QR_SALT).sign(str(class_id))


def qr_token_class_id(token: str, *, max_age: int = QR_MAX_AGE) -> int:
    """The class id a fresh, genuine token names; TokenRefused otherwise."""
    try:
        value = signing.TimestampSigner(salt=QR_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature as exc:  # SignatureExpired is one of these
        raise TokenRefused from exc
    if not value.isdigit():
        raise TokenRefused
    return int(value)


def _code_for(class_id: int, window: int) -> str:
    digest = salted_hmac("hocvuso.training.code", f"{class_id}:{window}").hexdigest()
    return str(int(digest[:12], 16) % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def spoken_code(class_id: int, *, at: datetime) -> str:
    return _code_for(class_id, int(at.timestamp()) // CODE_WINDOW)


def spoken_code_matches(class_id: int, code: str, *, at: datetime) -> bool:
    """The current code or the one before (read out a moment ago)."""
    window = int(at.timestamp()) // CODE_WINDOW
    return any(
        constant_time_compare(code, _code_for(class_id, w))
        for w in (window, window - 1)
    )


def pending_scan(class_id: int, *, at: datetime) -> dict:
    """What the session keeps of a scan made while logged out."""
    return {"class": class_id, "at": at.timestamp()}


def pending_scan_class_id(pending, *, at: datetime) -> int | None:
    """The class of a scan kept in the session, if it is recent enough."""
    if not isinstance(pending, dict):
        return None
    class_id, scanned = pending.get("class"), pending.get("at")
    if not isinstance(class_id, int) or not isinstance(scanned, int | float):
        return None
    if not 0 <= at.timestamp() - scanned <= LOGIN_GRACE.total_seconds():
        return None
    return class_id


def checkin_open(*, starts_at: datetime, ends_at: datetime, at: datetime) -> bool:
    return starts_at - OPENS_BEFORE <= at <= ends_at + CLOSES_AFTER


def is_late(*, starts_at: datetime, at: datetime) -> bool:
    return at > starts_at + LATE_AFTER
