from django.core.cache import cache
from django.utils import timezone

from .models import Consent, PrivacyNotice, User

CURRENT_NOTICE_CACHE_KEY = "accounts:privacy-notice-current-id"
# Short, so a notice published for a future date takes effect within a minute.
CURRENT_NOTICE_TTL = 60
CONSENT_SESSION_KEY = "consent_notice_id"


def privacy_notice_current() -> PrivacyNotice | None:
    return PrivacyNotice.objects.filter(published_at__lte=timezone.now()).first()


def privacy_notice_current_id() -> int | None:
    """The id of the notice in force, from the cache (0 means "none yet")."""
    notice_id = cache.get(CURRENT_NOTICE_CACHE_KEY)
    if notice_id is None:
        notice = privacy_notice_current()
        notice_id = notice.pk if notice else 0
        cache.set(CURRENT_NOTICE_CACHE_KEY, notice_id, CURRENT_NOTICE_TTL)
    return notice_id or None


def consent_is_current(*, user: User, session=None) -> bool:
    """True when the user agreed to the notice in force now.

    The answer is remembered in the session, so a learner's page views after
    the first one ask the database nothing.
    """
    notice_id = privacy_notice_current_id()
    if notice_id is None:
        return True
    if session is not None and session.get(CONSENT_SESSION_KEY) == notice_id:
        return True
    agreed = Consent.objects.filter(user=user, notice_id=notice_id).exists()
    if agreed and session is not None:
        session[CONSENT_SESSION_KEY] = notice_id
    return agreed
