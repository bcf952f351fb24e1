from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, ProgrammePage
from hocvuso.orgunits.models import TeamMembership, Unit

from . import checkin
from .models import Attendance, CheckinMethod, Invitation, TrainingClass

# The provincial plans: a class is announced at least a week ahead and its
# participants are summoned three days before.
NOTICE_DAYS = 7
SUMMONS_DAYS = 3


class TrainingError(ValueError):
    """The class cannot be created as asked; nothing was written."""


class CheckinError(ValueError):
    """The person was not marked present; the message says why."""


def notice_is_late(*, starts_at: datetime, now: datetime | None = None) -> bool:
    return starts_at - (now or timezone.now()) < timedelta(days=NOTICE_DAYS)


def invitees_from_units(*, units: Iterable[Unit]) -> set[int]:
    """Members of every team in the invited units' subtrees."""
    user_ids: set[int] = set()
    for unit in units:
        user_ids.update(
            TeamMembership.objects.filter(
                team__unit__path__startswith=unit.path, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    return user_ids


def _when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def _where(training_class: TrainingClass) -> str:
    return training_class.place or training_class.conference_link


def _notice_text(training_class: TrainingClass) -> str:
    return _(
        "Bình dân học vụ số: mời bạn dự lớp “%(title)s” lúc %(when)s tại "
        "%(where)s. Mang theo điện thoại để điểm danh."
    ) % {
        "title": training_class.title,
        "when": _when(training_class.starts_at),
        "where": _where(training_class),
    }


def _summons_text(training_class: TrainingClass) -> str:
    return _(
        "Bình dân học vụ số: nhắc bạn dự lớp “%(title)s” lúc %(when)s tại %(where)s."
    ) % {
        "title": training_class.title,
        "when": _when(training_class.starts_at),
        "where": _where(training_class),
    }


def _sms_invitees(training_class: TrainingClass, text: str) -> int:
    from hocvuso.accounts.services import sms_send

    phones = list(
        get_user_model()
        .objects.filter(
            pk__in=training_class.invitations.values("user_id"),
            phone__isnull=False,
            is_active=True,
        )
        .values_list("phone", flat=True)
    )
    for phone in phones:
        transaction.on_commit(lambda phone=phone: sms_send(to=phone, text=text))
    return len(phones)


def _claim(training_class: TrainingClass, field: str, now: datetime) -> bool:
    """Marks the SMS round as sent; False when another run already did."""
    return bool(
        TrainingClass.objects.filter(
            pk=training_class.pk, **{f"{field}__isnull": True}
        ).update(**{field: now})
    )


@transaction.atomic
def training_class_create(
    *,
    created_by,
    unit: Unit,
    title: str,
    course: CoursePage | None = None,
    programme: ProgrammePage | None = None,
    kind: str,
    place: str = "",
    conference_link: str = "",
    starts_at: datetime,
    ends_at: datetime,
    trainer: str,
    capacity: int,
    invited_units: list[Unit],
    chosen_user_ids: Iterable[int] = (),
) -> TrainingClass:
    """The class, its invitation list, and the notice SMS to everyone on it
    (which is also the summons when the class is three days away or less)."""
    if (course is None) == (programme is None):
        raise TrainingError(_("Hãy chọn một khóa học hoặc một chương trình."))
    if ends_at <= starts_at:
        raise TrainingError(_("Giờ kết thúc phải sau giờ bắt đầu."))
    now = timezone.now()
    if starts_at <= now:
        raise TrainingError(_("Giờ bắt đầu phải ở tương lai."))
    chosen_user_ids = set(chosen_user_ids)
    if not invited_units and not chosen_user_ids:
        raise TrainingError(_("Hãy mời ít nhất một đơn vị hoặc một người."))
    if not all(u.path.startswith(unit.path) for u in invited_units):
        raise TrainingError(_("Chỉ mời được các đơn vị thuộc đơn vị tổ chức."))
    training_class = TrainingClass.objects.create(
        created_by=created_by,
        unit=unit,
        title=title,
        course=course,
        programme=programme,
        kind=kind,
        place=place,
        conference_link=conference_link,
        starts_at=starts_at,
        ends_at=ends_at,
        trainer=trainer,
        capacity=capacity,
    )
    training_class.invited_units.set(invited_units)
    user_ids = invitees_from_units(units=invited_units) | chosen_user_ids
    Invitation.objects.bulk_create(
        [Invitation(training_class=training_class, user_id=pk) for pk in user_ids]
    )
    _claim(training_class, "notice_sent_at", now)
    if starts_at - now <= timedelta(days=SUMMONS_DAYS):
        _claim(training_class, "summons_sent_at", now)
    _sms_invitees(training_class, _notice_text(training_class))
    return training_class


def training_summons_send(*, now: datetime | None = None) -> int:
    """The summons SMS of every class starting within three days, once per
    class: the round is claimed by an UPDATE before anything is sent, so a
    second run (or a second worker) sends nothing. Returns the SMS sent."""
    now = now or timezone.now()
    sent = 0
    due = TrainingClass.objects.filter(
        summons_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=SUMMONS_DAYS),
    )
    for training_class in due:
        with transaction.atomic():
            if _claim(training_class, "summons_sent_at", now):
                sent += _sms_invitees(training_class, _summons_text(training_class))
    return sent


def attendance_mark(
    *,
    training_class: TrainingClass,
    user,
    method: str,
    marked_by=None,
    now: datetime | None = None,
) -> tuple[Attendance, bool]:
    """Present (late after the grace minutes; a walk-in without an
    invitation). Marking again changes nothing: the first arrival counts."""
    now = now or timezone.now()
    if method != CheckinMethod.MANUAL and not checkin.checkin_open(
        starts_at=training_class.starts_at, ends_at=training_class.ends_at, at=now
    ):
        if now < training_class.starts_at:
            raise CheckinError(
                _("Lớp “%(title)s” chưa mở điểm danh (mở trước giờ học 30 phút).")
                % {"title": training_class.title}
            )
        raise CheckinError(
            _("Lớp “%(title)s” đã kết thúc, không còn điểm danh được.")
            % {"title": training_class.title}
        )
    existing = Attendance.objects.filter(
        training_class=training_class, user=user
    ).first()
    if existing is not None:
        return existing, False
    invited = Invitation.objects.filter(
        training_class=training_class, user=user
    ).exists()
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                training_class=training_class,
                user=user,
                marked_at=now,
                method=method,
                late=checkin.is_late(starts_at=training_class.starts_at, at=now),
                walk_in=not invited,
                marked_by=marked_by,
            )
    except IntegrityError:  # the same scan twice at once: the first one won
        return Attendance.objects.get(training_class=training_class, user=user), False
    return attendance, True


def attendance_unmark(*, training_class: TrainingClass, user_id: int) -> None:
    Attendance.objects.filter(training_class=training_class, user_id=user_id).delete()
