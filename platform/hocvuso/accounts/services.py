from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hocvuso.orgunits.models import Unit

from .models import Consent, PrivacyNotice, User
from .tasks import sms_send_task


def sms_send(*, to: str, text: str) -> None:
    """Send through Celery so a slow gateway never holds a web worker."""
    sms_send_task.delay(to, text)


def verification_code_send(*, phone: str, code: str) -> None:
    sms_send(
        to=phone,
        text=_(
            "Mã xác thực Bình dân học vụ số: %(code)s. Hiệu lực 10 phút. "
            "Không chia sẻ mã này cho bất kỳ ai."
        )
        % {"code": code},
    )


@transaction.atomic
def consent_give(
    *, user: User, notice: PrivacyNotice, now: datetime | None = None
) -> Consent:
    consent, _created = Consent.objects.get_or_create(
        user=user, notice=notice, defaults={"accepted_at": now or timezone.now()}
    )
    return consent


def profile_update(
    *, user: User, full_name: str, birth_year: int | None, unit: Unit | None
) -> User:
    user.full_name = full_name.strip()
    user.birth_year = birth_year
    user.unit = unit
    user.save(update_fields=["full_name", "birth_year", "unit"])
    return user
