"""Who may learn: the project decides (login and personal-data consent live
in hocvuso.accounts), and names its gate in settings.LEARNER_REQUIRED, so the
domain apps depend on no project code (DESIGN §2)."""

from django.conf import settings
from django.utils.module_loading import import_string


def learner_required(view):
    return import_string(settings.LEARNER_REQUIRED)(view)


def learner_gate_url(request, *, come_back_to: str) -> str | None:
    """Where a logged-in learner must go before learning, or None."""
    return import_string(settings.LEARNER_GATE_URL)(request, come_back_to=come_back_to)
