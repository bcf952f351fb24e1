"""Writes: a learner's requests about their data, their erasure, the
reminders before a request's deadline, and the access log."""

import secrets
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.services import certificates_holder_erase
from hocvuso.accounts.models import Consent, ImportJob, User
from hocvuso.accounts.phone import phone_display
from hocvuso.accounts.selectors import CONSENT_SESSION_KEY
from hocvuso.accounts.services import profile_update, sms_send
from hocvuso.lti.services import learner_lti_erase
from hocvuso.orgunits.models import AdminRole, TeamMembership, Unit
from hocvuso.orgunits.selectors import AdminScope
from hocvuso.reports import maintained
from hocvuso.reports.models import ExportJob, ExportKind
from hocvuso.xapi.services import learner_statements_erase
from quizzes.models import ExtraTimeGrant

from .deadlines import request_deadline
from .models import (
    AccessKind,
    AccessLogEntry,
    DataRequest,
    RequestAction,
    RequestEvent,
    RequestKind,
    RequestStatus,
)
from .selectors import request_responsible_admins


class RequestError(Exception):
    """A request that cannot be acted on; the message is Vietnamese."""


def access_log_record(
    *, actor: User | None, kind: str, unit: Unit | None, people: int
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        actor=actor, kind=kind, unit=unit, people=people, at=timezone.now()
    )


def learner_list_access_record(
    *, actor: User, unit: Unit, people_with_full_phone: int, exported: bool
) -> None:
    """A learner list was shown or exported: logged when it carried full
    phone numbers, with how many."""
    if people_with_full_phone:
        access_log_record(
            actor=actor,
            kind=AccessKind.LIST_EXPORTED if exported else AccessKind.LIST_VIEWED,
            unit=unit,
            people=people_with_full_phone,
        )


def imports_log_record(*, actor: User, people_by_unit_id: dict[int, int]) -> None:
    """One entry per unit an import wrote people into."""
    now = timezone.now()
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            actor=actor,
            kind=AccessKind.IMPORTED,
            unit_id=unit_id,
            people=people,
            at=now,
        )
        for unit_id, people in sorted(people_by_unit_id.items())
        if people
    )


def _request_done_now(*, user: User, kind: str) -> DataRequest:
    """What the learner did alone: recorded as received and done at once."""
    now = timezone.now()
    request = DataRequest.objects.create(
        user=user,
        unit=user.unit,
        kind=kind,
        status=RequestStatus.DONE,
        received_at=now,
        due_at=request_deadline(kind=kind, received_at=now),
        closed_at=now,
    )
    RequestEvent.objects.bulk_create(
        [
            RequestEvent(request=request, actor=user, action=action, at=now)
            for action in (RequestAction.RECEIVED, RequestAction.DONE)
        ]
    )
    return request


def personal_data_provided(*, user: User) -> DataRequest:
    """The learner downloaded their data (JSON or XLSX)."""
    return _request_done_now(user=user, kind=RequestKind.ACCESS)


@transaction.atomic
def personal_data_correct(
    *, user: User, full_name: str, birth_year: int | None, unit: Unit | None
) -> User:
    """The learner corrected their name, birth year or place. The values
    come through the profile form's text rules (hocvuso.core.text)."""
    profile_update(user=user, full_name=full_name, birth_year=birth_year, unit=unit)
    _request_done_now(user=user, kind=RequestKind.CORRECT)
    return user


@transaction.atomic
def consent_withdraw(*, user: User, session=None) -> DataRequest:
    """The learner takes their consent back: the consent gate asks again
    before any lesson or test (hocvuso.accounts.decorators)."""
    Consent.objects.filter(user=user).delete()
    if session is not None:
        session.pop(CONSENT_SESSION_KEY, None)
    return _request_done_now(user=user, kind=RequestKind.WITHDRAW_CONSENT)


@transaction.atomic
def erasure_request(*, user: User, now: datetime | None = None) -> DataRequest:
    """Ask for deletion; asking again returns the request already open."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    open_request = DataRequest.objects.filter(
        user=user, kind=RequestKind.ERASE, status=RequestStatus.OPEN
    ).first()
    if open_request is not None:
        return open_request
    now = now or timezone.now()
    request = DataRequest.objects.create(
        user=user,
        unit=user.unit,
        kind=RequestKind.ERASE,
        received_at=now,
        due_at=request_deadline(kind=RequestKind.ERASE, received_at=now),
    )
    RequestEvent.objects.create(
        request=request, actor=user, action=RequestAction.RECEIVED, at=now
    )
    return request


def _phone_spellings(phone: str | None) -> set[str]:
    if not phone:
        return set()
    local = phone_display(phone)
    return {phone, local, local.replace(" ", ""), phone.removeprefix("+")}


def _import_rows_scrub(*, phone: str | None) -> None:
    """Blank every stored import row, outcome and password-sheet line that
    carries the person's number (the uploaded file is kept as rows)."""
    spellings = _phone_spellings(phone)
    if not spellings:
        return

    def names_them(values) -> bool:
        return any(str(v).strip() in spellings for v in values)

    for job in ImportJob.objects.only("pk", "rows", "outcomes", "passwords"):
        rows = [["" for _ in row] if names_them(row) else row for row in job.rows]
        outcomes = [
            {k: "" for k in o} if names_them(o.values()) else o for o in job.outcomes
        ]
        passwords = [p for p in job.passwords if not names_them(p)]
        if (rows, outcomes, passwords) != (job.rows, job.outcomes, job.passwords):
            ImportJob.objects.filter(pk=job.pk).update(
                rows=rows, outcomes=outcomes, passwords=passwords
            )


def _learner_exports_drop(*, unit: Unit | None) -> None:
    """Learner lists already built for the person's units name them: the
    files go (they can be built again without the person)."""
    if unit is None:
        return
    steplen = Unit.steplen
    ancestors = [unit.path[:i] for i in range(steplen, len(unit.path) + 1, steplen)]
    jobs = ExportJob.objects.filter(
        unit__path__in=ancestors,
        kind__in=(ExportKind.LEARNERS_XLSX, ExportKind.LEARNERS_CSV),
    )
    for job in jobs:
        if job.file:
            job.file.storage.delete(job.file.name)
    jobs.delete()


def _person_anonymise(*, user: User) -> None:
    """Irreversibly: nothing left on the account names or reaches the
    person. The account row itself stays, with its unit, learner type,
    progress, attempts and completions, so the unit's figures stay true."""
    _import_rows_scrub(phone=user.phone)
    _learner_exports_drop(unit=user.unit)
    certificates_holder_erase(user=user)
    learner_statements_erase(user_id=user.pk)
    learner_lti_erase(user_id=user.pk)
    for model in (Consent, TeamMembership, AdminRole, ExtraTimeGrant):
        model.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # An identity provider's `sub` would lead the person back to this row.
    SocialAccount.objects.filter(user=user).delete()
    user.username = f"da-xoa-{secrets.token_hex(8)}"
    user.full_name = user.first_name = user.last_name = user.email = ""
    user.phone = None
    user.phone_verified = False
    user.birth_year = None
    user.must_change_password = False
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    # A new password hash ends every session of the account: Django checks
    # each session against it on every request.
    user.set_unusable_password()
    user.save()
    # Leaving the team may take the person out of a subject's scope.
    maintained.learners_refresh(user_ids=[user.pk])


@transaction.atomic
def erasure_carry_out(
    *, actor: User, scope: AdminScope, request: DataRequest
) -> DataRequest:
    """An administrator of the learner's unit deletes the person."""
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    # A learner who never gave a place is in no unit admin's queue: a
    # superuser's (scope.everything) to answer.
    if not (scope.everything or scope.contains(locked.unit)):
        raise RequestError(_("Yêu cầu không thuộc phạm vi quản lý của bạn."))
    if locked.kind != RequestKind.ERASE or locked.status != RequestStatus.OPEN:
        raise RequestError(_("Yêu cầu này đã được xử lý."))
    user = User.objects.select_for_update().get(pk=locked.user_id)
    _person_anonymise(user=user)
    now = timezone.now()
    locked.status = RequestStatus.DONE
    locked.closed_at = now
    locked.save(update_fields=["status", "closed_at"])
    RequestEvent.objects.create(
        request=locked, actor=actor, action=RequestAction.DONE, at=now
    )
    access_log_record(actor=actor, kind=AccessKind.ERASED, unit=locked.unit, people=1)
    return locked


def _reminder_text(request: DataRequest) -> str:
    return _(
        "Bình dân học vụ số: có yêu cầu %(kind)s dữ liệu cá nhân của một người học "
        "tại %(unit)s, hạn trả lời %(due)s. Xử lý tại %(url)s"
    ) % {
        "kind": request.get_kind_display().lower(),
        "unit": request.unit.name if request.unit else "",
        "due": timezone.localtime(request.due_at).strftime("%d/%m/%Y"),
        "url": settings.WAGTAILADMIN_BASE_URL + "/quan-tri/yeu-cau-du-lieu/",
    }


def data_request_reminders_send(*, now: datetime | None = None) -> int:
    """Remind, once, the administrators who must answer an open request
    whose deadline is PRIVACY_REMIND_DAYS_BEFORE days away or less. The
    reminder is recorded on the request (shown in the queue) even when no
    administrator has a phone number. Returns how many requests."""
    now = now or timezone.now()
    soon = now + timedelta(days=settings.PRIVACY_REMIND_DAYS_BEFORE)
    reminded = 0
    due = DataRequest.objects.filter(
        status=RequestStatus.OPEN, reminded_at__isnull=True, due_at__lte=soon
    ).select_related("unit")
    for request in due:
        with transaction.atomic():
            claimed = DataRequest.objects.filter(
                pk=request.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            RequestEvent.objects.create(
                request=request, actor=None, action=RequestAction.REMINDED, at=now
            )
            text = _reminder_text(request)
            for admin in request_responsible_admins(request=request):
                if admin.phone:
                    transaction.on_commit(
                        lambda to=admin.phone, text=text: sms_send(to=to, text=text)
                    )
            reminded += 1
    return reminded
