import secrets
from datetime import datetime
from typing import IO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hocvuso.core.spreadsheet import SpreadsheetError
from hocvuso.orgunits.models import TeamMembership, Unit
from hocvuso.orgunits.selectors import AdminScope, admin_scope_get
from hocvuso.orgunits.services import team_member_add, team_membership_set

from .hashers import InitialPasswordHasher
from .import_files import read_table
from .import_messages import FILE_ERRORS, ROW_ERRORS
from .import_rows import (
    Action,
    HeaderError,
    ParsedRow,
    RowError,
    RowOutcome,
    header_map,
    validate_rows,
)
from .models import (
    Consent,
    ImportJob,
    ImportStatus,
    LearnerType,
    LoginDelivery,
    PrivacyNotice,
    User,
)
from .phone import phone_normalize
from .selectors import import_snapshot_get
from .tasks import import_job_run_task, sms_send_task


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


# --- Bulk import of learners and team members -------------------------------

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
PROGRESS_EVERY = 100


class ImportFileError(ValueError):
    """The file cannot be read as an import; nothing was stored."""


def _validate(*, rows: list[list[str]], scope: AdminScope) -> list[RowOutcome]:
    columns = header_map(rows[0])
    body = rows[1:]
    normalised: dict[str, str | None] = {}

    def normalise(raw: str) -> str | None:
        if raw not in normalised:
            try:
                normalised[raw] = phone_normalize(raw)
            except ValidationError:
                normalised[raw] = None
        return normalised[raw]

    def cell(row, key):
        index = columns.get(key)
        return str(row[index]).strip() if index is not None and index < len(row) else ""

    phones = {normalise(cell(row, "phone")) for row in body if cell(row, "phone")}
    communes, accounts = import_snapshot_get(
        scope=scope,
        commune_codes={cell(row, "commune") for row in body},
        phones=phones - {None},
    )
    return validate_rows(
        body,
        columns=columns,
        communes=communes,
        accounts=accounts,
        phone_normalize=normalise,
        this_year=timezone.localdate().year,
    )


def _message(error: RowError) -> str:
    return str(ROW_ERRORS[error.code]) % dict(error.params)


def _outcome_dict(outcome: RowOutcome) -> dict:
    return {
        "n": outcome.number,
        "cells": outcome.cells,
        "errors": [_message(e) for e in outcome.errors],
        "action": str(outcome.action) if outcome.action else "",
    }


def _count(job: ImportJob, outcomes: list[RowOutcome]) -> None:
    job.total = len(outcomes)
    actions = [o.action if o.ok else None for o in outcomes]
    job.created = actions.count(Action.CREATE)
    job.updated = actions.count(Action.UPDATE)
    job.unchanged = actions.count(Action.UNCHANGED)
    job.failed = actions.count(None)


def import_job_create(*, user: User, file_name: str, file: IO[bytes]) -> ImportJob:
    """Read and check the file (the dry run); writes only the ImportJob. The
    upload form has checked the file's size."""
    try:
        rows = read_table(file, file_name)
    except HeaderError as error:
        raise ImportFileError(FILE_ERRORS[error.code] % error.params) from error
    except SpreadsheetError as error:
        raise ImportFileError(str(error)) from error
    outcomes = _validate(rows=rows, scope=admin_scope_get(user=user))
    job = ImportJob(created_by=user, file_name=file_name[:200], rows=rows)
    job.outcomes = [_outcome_dict(o) for o in outcomes]
    _count(job, outcomes)
    job.save()
    return job


def import_job_confirm(*, job: ImportJob, delivery: str) -> ImportJob:
    """Queue the real run; the rows are checked again when it starts."""
    if job.status != ImportStatus.PREVIEW:
        raise ImportFileError(_("Lượt nhập này đã được xác nhận trước đó."))
    job.status = ImportStatus.QUEUED
    job.delivery = delivery
    job.processed = 0
    job.save(update_fields=["status", "delivery", "processed"])
    transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    return job


def _initial_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(10))


def _import_row_write(
    *,
    row: ParsedRow,
    user: User | None,
    unit_id: int,
    delivery: str,
    scope: AdminScope,
) -> tuple[User, str | None]:
    password = None
    if user is None:
        user = User(
            username=row.phone.lstrip("+"),
            phone=row.phone,
            full_name=row.full_name,
            birth_year=row.birth_year,
            unit_id=unit_id,
            learner_type=LearnerType.TEAM_MEMBER
            if row.team_id
            else LearnerType.CITIZEN,
        )
        if delivery == LoginDelivery.SHEET:
            password = _initial_password()
            user.password = make_password(password, hasher=InitialPasswordHasher())
            user.must_change_password = True
            # The commune hands the sheet over in person: that is the check
            # an SMS code would make, and this way works without the gateway.
            user.phone_verified = True
        else:
            user.set_unusable_password()  # they log in with an SMS code
        user.save()
        if row.team_id:
            team_member_add(team_id=row.team_id, user=user, role=str(row.role))
        return user, password
    user.full_name = row.full_name
    user.birth_year = row.birth_year or user.birth_year
    user.unit_id = unit_id
    if row.team_id:
        user.learner_type = LearnerType.TEAM_MEMBER
    user.save(update_fields=["full_name", "birth_year", "unit", "learner_type"])
    if row.team_id:
        # One team per member inside the importer's part of the tree.
        TeamMembership.objects.filter(user=user).filter(scope.q("team__unit")).exclude(
            team_id=row.team_id
        ).delete()
        team_membership_set(team_id=row.team_id, user=user, role=str(row.role))
    return user, password


def _invite(user: User) -> None:
    sms_send(
        to=user.phone,
        text=_(
            "Bạn đã có tài khoản Bình dân học vụ số. Đăng nhập tại %(url)s bằng số "
            "điện thoại này, chọn “Gửi mã đăng nhập cho tôi” để nhận mã qua SMS."
        )
        % {"url": settings.WAGTAILADMIN_BASE_URL},
    )


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Write the good rows, each in its own transaction. Safe to run twice:
    only a queued job starts, and unchanged rows are not written."""
    started = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    job.refresh_from_db()
    if not started:
        return job
    try:
        scope = admin_scope_get(user=job.created_by)
        outcomes = _validate(rows=job.rows, scope=scope)
        writes = [o for o in outcomes if o.ok and o.action != Action.UNCHANGED]
        units = dict(
            Unit.objects.filter(
                code__in={o.parsed.unit_code for o in writes}
            ).values_list("code", "pk")
        )
        users: dict[str, User] = {}
        phones = [o.parsed.phone for o in writes if o.action == Action.UPDATE]
        for start in range(0, len(phones), 1000):
            for user in User.objects.filter(phone__in=phones[start : start + 1000]):
                users[user.phone] = user
        passwords = []
        ImportJob.objects.filter(pk=job.pk).update(total=len(outcomes))
        for index, outcome in enumerate(outcomes, start=1):
            if outcome.ok and outcome.action != Action.UNCHANGED:
                row = outcome.parsed
                try:
                    with transaction.atomic():
                        user, password = _import_row_write(
                            row=row,
                            user=users.get(row.phone),
                            unit_id=units[row.unit_code],
                            delivery=job.delivery,
                            scope=scope,
                        )
                except IntegrityError:
                    outcome.errors.append(RowError("write_failed"))
                else:
                    if password:
                        passwords.append([user.full_name, user.phone_local, password])
                    elif outcome.action == Action.CREATE:
                        _invite(user)
            if index % PROGRESS_EVERY == 0:
                ImportJob.objects.filter(pk=job.pk).update(processed=index)
        job.outcomes = [_outcome_dict(o) for o in outcomes]
        _count(job, outcomes)
        job.processed = job.total
        job.passwords = passwords
        job.status = ImportStatus.DONE
    except Exception:
        job.status = ImportStatus.FAILED
        raise
    finally:
        job.finished_at = timezone.now()
        job.save()
    return job


def import_job_passwords_clear(*, job: ImportJob) -> None:
    job.passwords = []
    job.save(update_fields=["passwords"])
