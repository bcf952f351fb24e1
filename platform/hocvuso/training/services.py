from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
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


def _site_language(build):
    """The SMS texts are in the site's language (Vietnamese), whatever the
    admin who caused them chose for their own pages: as certificates do."""

    @wraps(build)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)

    return wrapper


def _when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def _where(training_class: TrainingClass) -> str:
    return training_class.place or training_class.conference_link


def _sms_fields(training_class: TrainingClass) -> dict:
    return {
        "title": training_class.title,
        "when": _when(training_class.starts_at),
        "where": _where(training_class),
    }


@_site_language
def _notice_text(training_class: TrainingClass) -> str:
    return _(
        "Bình dân học vụ số: mời bạn dự lớp “%(title)s” lúc %(when)s tại "
        "%(where)s. Mang theo điện thoại để điểm danh."
    ) % _sms_fields(training_class)


@_site_language
def _summons_text(training_class: TrainingClass) -> str:
    return _(
        "Bình dân học vụ số: nhắc bạn dự lớp “%(title)s” lúc %(when)s tại %(where)s."
    ) % _sms_fields(training_class)


@_site_language
def _change_text(training_class: TrainingClass) -> str:
    return _(
        "Bình dân học vụ số: lớp “%(title)s” đổi lịch, nay học lúc %(when)s tại "
        "%(where)s."
    ) % _sms_fields(training_class)


@_site_language
def _cancel_text(training_class: TrainingClass) -> str:
    return _(
        "Bình dân học vụ số: lớp “%(title)s” lúc %(when)s đã bị hủy. Lý do: %(reason)s"
    ) % {
        "title": training_class.title,
        "when": _when(training_class.starts_at),
        "reason": training_class.cancel_reason,
    }


@_site_language
def _withdrawn_text(training_class: TrainingClass) -> str:
    return _(
        "Bình dân học vụ số: lớp “%(title)s” lúc %(when)s đã thay đổi danh sách "
        "mời, bạn không còn trong danh sách. Xin lỗi vì sự bất tiện."
    ) % {
        "title": training_class.title,
        "when": _when(training_class.starts_at),
    }


def _sms_invitees(
    training_class: TrainingClass, text: str, *, user_ids: Iterable[int] | None = None
) -> int:
    """Queues `text` to every invitee with a phone number (or to `user_ids`
    among them), sent once the transaction commits."""
    from hocvuso.accounts.services import sms_send

    invitees = training_class.invitations.values("user_id")
    if user_ids is not None:
        invitees = invitees.filter(user_id__in=list(user_ids))
    phones = list(
        get_user_model()
        .objects.filter(pk__in=invitees, phone__isnull=False, is_active=True)
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
    now = timezone.now()
    chosen_user_ids = set(chosen_user_ids)
    _validate(
        course=course,
        programme=programme,
        starts_at=starts_at,
        ends_at=ends_at,
        invited_units=invited_units,
        chosen_user_ids=chosen_user_ids,
        unit=unit,
        now=now,
    )
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


def _validate(
    *,
    course: CoursePage | None,
    programme: ProgrammePage | None,
    starts_at: datetime,
    ends_at: datetime,
    invited_units: list[Unit],
    chosen_user_ids: set[int],
    unit: Unit,
    now: datetime,
) -> None:
    if (course is None) == (programme is None):
        raise TrainingError(_("Hãy chọn một khóa học hoặc một chương trình."))
    if ends_at <= starts_at:
        raise TrainingError(_("Giờ kết thúc phải sau giờ bắt đầu."))
    if starts_at <= now:
        raise TrainingError(_("Giờ bắt đầu phải ở tương lai."))
    if not invited_units and not chosen_user_ids:
        raise TrainingError(_("Hãy mời ít nhất một đơn vị hoặc một người."))
    if not all(u.path.startswith(unit.path) for u in invited_units):
        raise TrainingError(_("Chỉ mời được các đơn vị thuộc đơn vị tổ chức."))


def _same(old, new) -> bool:
    """Equal as the form shows them: a time typed to the minute is the same
    time as the stored one with its seconds."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(second=0, microsecond=0) == new.replace(
            second=0, microsecond=0
        )
    return old == new


def class_has_started(training_class: TrainingClass, *, now: datetime) -> bool:
    """From its start (check-in opens a little before: an early scan is an
    attendance too) a class's times, subject and invitation list are its
    record: changing them would rewrite who was late, absent or a walk-in."""
    return (
        now >= training_class.starts_at - checkin.OPENS_BEFORE
        or training_class.attendances.exists()
    )


# What an edit may change once the class has started: the record's words.
FIELDS_ALWAYS_EDITABLE = ("title", "trainer", "capacity")
# Changing one of these before the class tells every invitee by SMS.
FIELDS_NOTIFIED = ("starts_at", "ends_at", "place", "conference_link")


@dataclass(frozen=True)
class ClassChange:
    training_class: TrainingClass
    notified: int = 0  # invitees sent the change notice
    added: int = 0  # new invitees (sent the invitation)
    removed: int = 0  # invitations withdrawn


@transaction.atomic
def training_class_update(
    *,
    training_class: TrainingClass,
    changed_by,
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
    now: datetime | None = None,
) -> ClassChange:
    """Edits a class that is not cancelled. Before it starts: anything, with
    the create's rules; the invitees are told of a new date, time, place or
    link by one SMS, new invitees get the invitation and people no longer
    invited are told so. Once it has started only the title, the
    trainer and the capacity change (TrainingError for anything else).

    The row is locked first, so two identical edits at once (a double tap)
    find the second one changing nothing and sending nothing: each change is
    announced at most once."""
    now = now or timezone.now()
    current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if current.is_cancelled:
        raise TrainingError(_("Lớp đã bị hủy, không sửa được nữa."))
    chosen = set(chosen_user_ids)
    wanted = {
        "title": title,
        "course_id": course.pk if course else None,
        "programme_id": programme.pk if programme else None,
        "kind": kind,
        "place": place,
        "conference_link": conference_link,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "trainer": trainer,
        "capacity": capacity,
    }
    changed = {k for k, v in wanted.items() if not _same(getattr(current, k), v)}
    old_units = list(current.invited_units.all())
    units_changed = {u.pk for u in old_units} != {u.pk for u in invited_units}
    old_invitees = set(current.invitations.values_list("user_id", flat=True))
    # Invitees not from the old units were chosen one by one: they stay.
    kept_chosen = old_invitees - invitees_from_units(units=old_units)
    if class_has_started(current, now=now):
        if changed - set(FIELDS_ALWAYS_EDITABLE) or units_changed or chosen:
            raise TrainingError(
                _(
                    "Lớp đã bắt đầu: chỉ sửa được tên lớp, giảng viên và số chỗ; "
                    "giờ học, địa điểm và danh sách mời là hồ sơ điểm danh."
                )
            )
    else:
        _validate(
            course=course,
            programme=programme,
            starts_at=starts_at,
            ends_at=ends_at,
            invited_units=invited_units,
            chosen_user_ids=kept_chosen | chosen,
            unit=current.unit,
            now=now,
        )
    for name in changed:
        setattr(current, name, wanted[name])
    notify = bool(changed & set(FIELDS_NOTIFIED))
    if "starts_at" in changed:
        # The summons is for the new date: again three days before it, or
        # now with the change notice when that is already closer.
        current.summons_sent_at = (
            now if starts_at - now <= timedelta(days=SUMMONS_DAYS) else None
        )
        changed.add("summons_sent_at")
    if changed:
        current.save(update_fields=sorted(changed))
    added: set[int] = set()
    removed: set[int] = set()
    if units_changed or chosen:
        new_invitees = invitees_from_units(units=invited_units) | kept_chosen | chosen
        added, removed = new_invitees - old_invitees, old_invitees - new_invitees
        current.invited_units.set(invited_units)
        if removed:  # told before their invitation goes
            _sms_invitees(current, _withdrawn_text(current), user_ids=removed)
        Invitation.objects.filter(training_class=current, user_id__in=removed).delete()
        Invitation.objects.bulk_create(
            [Invitation(training_class=current, user_id=pk) for pk in added]
        )
    notified = 0
    if notify:
        notified = _sms_invitees(
            current,
            _change_text(current),
            user_ids=old_invitees - removed,
        )
    if added:
        _sms_invitees(current, _notice_text(current), user_ids=added)
    return ClassChange(
        training_class=current,
        notified=notified,
        added=len(added),
        removed=len(removed),
    )


@transaction.atomic
def training_class_cancel(
    *,
    training_class: TrainingClass,
    cancelled_by,
    reason: str,
    now: datetime | None = None,
) -> int:
    """Cancels a class that has not started: it stays on the list as
    cancelled, takes no check-in and is left out of the quarter's figures;
    every invitee is sent the cancellation with its reason, once (the
    cancellation is claimed by one UPDATE). Returns the SMS queued."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise TrainingError(_("Hãy ghi lý do hủy lớp."))
    current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if current.is_cancelled:
        raise TrainingError(_("Lớp này đã được hủy trước đó."))
    if class_has_started(current, now=now):
        raise TrainingError(
            _("Lớp đã bắt đầu hoặc đã có người điểm danh: không hủy được nữa.")
        )
    claimed = TrainingClass.objects.filter(
        pk=current.pk, cancelled_at__isnull=True
    ).update(cancelled_at=now, cancelled_by=cancelled_by, cancel_reason=reason)
    if not claimed:  # pragma: no cover - the row lock makes this unreachable
        raise TrainingError(_("Lớp này đã được hủy trước đó."))
    training_class.refresh_from_db()
    return _sms_invitees(training_class, _cancel_text(training_class))


def training_summons_send(*, now: datetime | None = None) -> int:
    """The summons SMS of every class starting within three days, once per
    class: the round is claimed by an UPDATE before anything is sent, so a
    second run (or a second worker) sends nothing. Returns the SMS sent."""
    now = now or timezone.now()
    sent = 0
    due = TrainingClass.objects.filter(
        summons_sent_at__isnull=True,
        cancelled_at__isnull=True,
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
    if training_class.is_cancelled:
        raise CheckinError(
            _("Lớp “%(title)s” đã bị hủy, không điểm danh được.")
            % {"title": training_class.title}
        )
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
