"""The step from the LMS's frame to a window of our own.

The launch arrives as a cross-site POST, usually inside the LMS's iframe,
where browsers no longer keep our session cookie (SameSite=Lax, and
third-party cookies blocked). So the launch does not sign in there: it
shows a small page whose link opens the course in a new tab (or follows
it at once when the launch already has the whole window). The link
carries a signed ticket good for ENTRY_SECONDS and for one use; following
it, first-party, signs the learner in and lands on the course."""

import uuid

from django.core import signing
from django.core.cache import cache

ENTRY_SECONDS = 120
_SALT = "hocvuso.lti.entry"


def entry_ticket(*, user_id: int, course_id: int) -> str:
    return signing.dumps(
        {"u": user_id, "c": course_id, "j": uuid.uuid4().hex}, salt=_SALT
    )


def entry_ticket_use(ticket: str) -> tuple[int, int] | None:
    """(user id, course id) of a valid, fresh ticket not used before."""
    try:
        data = signing.loads(ticket, salt=_SALT, max_age=ENTRY_SECONDS)
        user_id, course_id, jti = int(data["u"]), int(data["c"]), str(data["j"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    # add() is atomic in Redis: the second use of a ticket finds the mark.
    if not cache.add(f"lti:entry-used:{jti}", 1, ENTRY_SECONDS * 2):
        return None
    return user_id, course_id
