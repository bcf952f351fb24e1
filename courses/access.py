"""Who may learn: the project decides (login and personal-data consent live
in hocvuso.accounts), and names its gate in settings.LEARNER_REQUIRED, so the
domain apps depend on no project code (DESIGN §2)."""

from django.conf import settings
from django.utils.module_loading import import_string


def learner_required(view):
    return import_string(settings.LEARNER_REQUIRED)(view)
