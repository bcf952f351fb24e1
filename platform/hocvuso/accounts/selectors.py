from django.utils import timezone

from .models import Consent, PrivacyNotice, User


def privacy_notice_current() -> PrivacyNotice | None:
    return PrivacyNotice.objects.filter(published_at__lte=timezone.now()).first()


def consent_is_current(*, user: User) -> bool:
    """True when the user agreed to the notice in force now (one query)."""
    return Consent.objects.filter(
        user=user,
        notice=PrivacyNotice.objects.filter(published_at__lte=timezone.now())
        .order_by("-published_at")
        .values("pk")[:1],
    ).exists()
