import logging
import re
import secrets
from collections import Counter
from datetime import datetime, timedelta
from typing import IO
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hocvuso.core.spreadsheet import SpreadsheetError
from hocvuso.orgunits.models import Team, TeamMembership, Unit, UnitLevel
from hocvuso.orgunits.selectors import AdminScope, admin_scope_get
from hocvuso.orgunits.services import team_member_add, team_membership_set
from hocvuso.reports import maintained

from .hashers import InitialPasswordHasher
from .import_files import read_table
from .import_messages import FILE_ERRORS, ROW_ERRORS, ROW_WARNINGS
from .import_rows import (
    COLUMNS,
    ROLE_WORDS,
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
from .selectors import day_count_get, day_counter_key, import_snapshot_get
from .tasks import import_job_run_task, sms_send_task

# Refusals an operator should see (README, "Security"): never a full number.
security_log = logging.getLogger("hocvuso.security")


def sms_send(*, to: str, text: str) -> None:
    """Send through Celery so a slow gateway never holds a web worker."""
    sms_send_task.delay(to, text)


# A day counter outlives its day, whatever zone the cache server keeps time in.
DAY_COUNTER_TTL = 2 * 24 * 3600
SMS_NUMBER_CAP_REACHED = gettext_lazy(
    "Số điện thoại này đã nhận đủ số mã xác thực cho phép trong hôm nay. "
    "Vui lòng thử lại vào ngày mai."
)
SMS_ADDRESS_CAP_REACHED = gettext_lazy(
    "Đã gửi quá nhiều mã xác thực từ mạng này trong hôm nay. "
    "Vui lòng thử lại vào ngày mai."
)


class SmsDailyCapReached(Exception):
    """No code was sent: the number or the address has had today's share."""


def _day_count_add(key: str) -> None:
    cache.add(key, 0, DAY_COUNTER_TTL)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, DAY_COUNTER_TTL)


def _sms_daily_budget_take(*, phone: str, address: str) -> None:
    """Count one SMS against the number's and the client address's daily caps
    (settings.SMS_CODES_PER_*_PER_DAY), or raise SmsDailyCapReached and count
    nothing. Two requests at the same moment may both pass the check: the
    caps are a budget, not an exact count."""
    limits = [
        (
            day_counter_key(kind="sms-number", value=phone),
            settings.SMS_CODES_PER_NUMBER_PER_DAY,
            SMS_NUMBER_CAP_REACHED,
        ),
        (
            day_counter_key(kind="sms-address", value=address),
            settings.SMS_CODES_PER_ADDRESS_PER_DAY,
            SMS_ADDRESS_CAP_REACHED,
        ),
    ]
    for key, cap, message in limits:
        if day_count_get(key=key) >= cap:
            security_log.warning(
                "SMS daily cap reached (%s) for number …%s",
                key.split(":")[2],
                phone[-3:],
            )
            raise SmsDailyCapReached(message)
    for key, _cap, _message in limits:
        _day_count_add(key)


def verification_code_send(*, phone: str, code: str, address: str) -> None:
    """Send a code within the daily caps (SmsDailyCapReached: nothing sent)."""
    _sms_daily_budget_take(phone=phone, address=address)
    sms_send(
        to=phone,
        text=_(
            "Mã xác thực Bình dân học vụ số: %(code)s. Hiệu lực 10 phút. "
            "Không chia sẻ mã này cho bất kỳ ai."
        )
        % {"code": code},
    )


def account_exists_sms_send(*, phone: str, address: str) -> None:
    """Sign-up with a number that has an account: the page reads as for any
    sign-up; only the phone's owner learns why no code came."""
    _sms_daily_budget_take(phone=phone, address=address)
    sms_send(
        to=phone,
        text=_(
            "Số điện thoại này đã có tài khoản Bình dân học vụ số. Hãy đăng nhập "
            "và chọn “Gửi mã đăng nhập cho tôi” để nhận mã qua SMS."
        ),
    )


def account_unknown_sms_send(*, phone: str, address: str) -> None:
    """A login code asked for a number without an account: the page reads as
    if a code went out; the phone's owner learns where to sign up instead."""
    _sms_daily_budget_take(phone=phone, address=address)
    sms_send(
        to=phone,
        text=_(
            "Số điện thoại này chưa có tài khoản Bình dân học vụ số. "
            "Đăng ký tại %(url)s"
        )
        % {"url": settings.WAGTAILADMIN_BASE_URL + reverse("account_signup")},
    )


@transaction.atomic
def account_phone_claim(*, user: User, phone: str) -> bool:
    """The number was just proven with an SMS code, without the password.

    If it had never been verified, whoever chose the password (and agreed to
    the notice) never showed they own the number: a squatter who signed up
    with someone else's. The prover becomes the only one who can get in: the
    password goes, and with it every other session (Django checks each
    session against the password hash), and the consent is asked again.
    Returns whether a password was taken away.
    """
    if user.phone != phone or user.phone_verified:
        return False
    had_password = user.has_usable_password()
    user.set_unusable_password()
    # A printed initial password is gone too: nothing left to change.
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    Consent.objects.filter(user=user).delete()
    return had_password


@transaction.atomic
def account_identity_link(*, user: User, phone: str) -> bool:
    """An identity provider vouched for `phone`, the number of `user`: the
    same proof as a login by SMS code to it (account_phone_claim), and the
    number is verified from now on. Returns whether a password was taken."""
    took_password = account_phone_claim(user=user, phone=phone)
    User.objects.filter(pk=user.pk, phone=phone).update(phone_verified=True)
    user.phone_verified = True
    return took_password


PROVIDER_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


@transaction.atomic
def identity_provider_save(
    *,
    provider_id: str,
    name: str,
    server_url: str,
    client_id: str,
    secret: str,
    sites: list[str],
) -> tuple[SocialApp, bool]:
    """Add or change an identity provider (allauth's SocialApp for OpenID
    Connect) and the sites (host names, "*" for all) that offer it.
    Returns the app and whether it is new."""
    errors = []
    if not PROVIDER_ID_PATTERN.fullmatch(provider_id or ""):
        errors.append(_("Mã nhà cung cấp chỉ gồm chữ thường không dấu, số và dấu -."))
    if not name or len(name) > 40 or "\x00" in name:
        errors.append(_("Tên nhà cung cấp cần từ 1 đến 40 ký tự."))
    url = urlsplit(server_url or "")
    if not url.netloc or not (
        url.scheme == "https" or (url.scheme == "http" and url.hostname in LOCAL_HOSTS)
    ):
        errors.append(_("Địa chỉ nhà cung cấp phải bắt đầu bằng https://."))
    if not client_id or len(client_id) > 191 or not secret or len(secret) > 191:
        errors.append(_("Cần client ID và client secret (tối đa 191 ký tự)."))
    if not sites or not all(
        site == "*" or re.fullmatch(r"[a-z0-9.-]{1,253}", site) for site in sites
    ):
        errors.append(_("Tên miền không hợp lệ."))
    if errors:
        raise ValidationError(errors)
    app = SocialApp.objects.filter(
        provider="openid_connect", provider_id=provider_id
    ).first()
    created = app is None
    app = app or SocialApp(provider="openid_connect", provider_id=provider_id)
    app.name = name
    app.client_id = client_id
    app.secret = secret
    app.settings = {**app.settings, "server_url": server_url, "sites": sorted(sites)}
    app.save()
    return app, created


def sms_code_guess_failed(*, user: User) -> None:
    """Count a wrong SMS code against the account's daily ceiling."""
    _day_count_add(day_counter_key(kind="code-guesses", value=str(user.pk)))


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
    with transaction.atomic():
        user.save(update_fields=["full_name", "birth_year", "unit"])
        maintained.learners_refresh(user_ids=[user.pk])
    return user


def user_place_set(*, user: User, unit: Unit) -> User:
    user.unit = unit
    with transaction.atomic():
        user.save(update_fields=["unit"])
        maintained.learners_refresh(user_ids=[user.pk])
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


def _message(error: RowError, messages=ROW_ERRORS) -> str:
    return str(messages[error.code]) % dict(error.params)


def _outcome_dict(outcome: RowOutcome) -> dict:
    return {
        "n": outcome.number,
        "cells": outcome.cells,
        "errors": [_message(e) for e in outcome.errors],
        "warnings": [_message(w, ROW_WARNINGS) for w in outcome.warnings],
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
        else:
            maintained.learners_refresh(user_ids=[user.pk])
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
    else:
        maintained.learners_refresh(user_ids=[user.pk])
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
        written_units: list[int] = []
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
                    written_units.append(units[row.unit_code])
                    if password:
                        passwords.append([user.full_name, user.phone_local, password])
                    elif outcome.action == Action.CREATE:
                        _invite(user)
            if index % PROGRESS_EVERY == 0:
                ImportJob.objects.filter(pk=job.pk).update(processed=index)
        job.outcomes = [_outcome_dict(o) for o in outcomes]
        _count(job, outcomes)
        from hocvuso.privacy.services import imports_log_record

        imports_log_record(
            actor=job.created_by, people_by_unit_id=Counter(written_units)
        )
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


class TeamPersonError(ValueError):
    """The person was not added; `errors` pairs a form field (or "") with
    the message."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("; ".join(message for _field, message in errors))


_MEMBER_WORD = next(word for word, role in ROLE_WORDS.items() if role == "member")


def team_person_add(
    *, actor: User, team: Team, full_name: str, phone: str, birth_year: str = ""
) -> tuple[User, bool]:
    """Add one person to a team as a member: the row the member import would
    read, checked and written by the import's own rules (the account is
    created, or the one with that phone number joins the team). Returns the
    account and whether it was created; a new person gets the SMS invitation."""
    unit = team.unit
    if unit.level == UnitLevel.VILLAGE:
        commune, village = unit.get_parent(), unit.code
    else:
        commune, village = unit, ""
    cells = {
        "full_name": full_name,
        "phone": phone,
        "birth_year": birth_year,
        "commune": commune.code if commune.level == UnitLevel.COMMUNE else "",
        "village": village,
        "team": team.name,
        "role": _MEMBER_WORD,
    }
    scope = admin_scope_get(user=actor)
    header = [label for _key, label in COLUMNS]
    outcome = _validate(
        rows=[header, [cells[key] for key, _l in COLUMNS]], scope=scope
    )[0]
    if not outcome.ok:
        form_fields = ("full_name", "phone", "birth_year")
        raise TeamPersonError(
            [
                (e.column if e.column in form_fields else "", _message(e))
                for e in outcome.errors
            ]
        )
    row = outcome.parsed
    if row.team_id != team.pk:  # two teams of the commune with the same name
        raise TeamPersonError(
            [
                (
                    "",
                    str(ROW_ERRORS["unknown_team"])
                    % {"value": team.name, "commune": commune.name},
                )
            ]
        )
    if TeamMembership.objects.filter(team=team, user__phone=row.phone).exists():
        # Already in: nothing to write (and a leader stays leader).
        raise TeamPersonError(
            [("phone", _("Người có số điện thoại này đã ở trong tổ."))]
        )
    unit_id = Unit.objects.values_list("pk", flat=True).get(code=row.unit_code)
    try:
        with transaction.atomic():
            user, _password = _import_row_write(
                row=row,
                user=User.objects.filter(phone=row.phone).first(),
                unit_id=unit_id,
                delivery=LoginDelivery.SMS,
                scope=scope,
            )
    except IntegrityError as error:
        raise TeamPersonError([("", str(ROW_ERRORS["write_failed"]))]) from error
    created = outcome.action == Action.CREATE
    if created:
        _invite(user)
    from hocvuso.privacy.services import imports_log_record

    imports_log_record(actor=actor, people_by_unit_id={unit_id: 1})
    return user, created


def import_job_passwords_clear(*, job: ImportJob) -> None:
    job.passwords = []
    job.save(update_fields=["passwords"])


def _phones_logged_in(entries: list[list[str]]) -> set[str]:
    """The sheet's numbers (as printed) whose account has logged in."""
    phones = {}
    for _name, printed, _password in entries:
        try:
            phones[phone_normalize(printed)] = printed
        except ValidationError:
            continue
    logged_in = User.objects.filter(
        phone__in=phones, last_login__isnull=False
    ).values_list("phone", flat=True)
    return {phones[phone] for phone in logged_in}


def import_jobs_expire(*, now: datetime) -> None:
    """Retention (README, "Personal data"), run each night. A printed initial
    password leaves the sheet once its learner has logged in (it has done its
    work) and every one goes INITIAL_PASSWORD_RETENTION_DAYS after the run;
    the uploaded rows and their outcomes (every name and phone of the file)
    go IMPORT_UPLOAD_RETENTION_DAYS after the upload, leaving the counts. A
    preview never confirmed by then is deleted; a queued or running import
    is left to finish."""
    upload_cutoff = now - timedelta(days=settings.IMPORT_UPLOAD_RETENTION_DAYS)
    ImportJob.objects.filter(
        status=ImportStatus.PREVIEW, created_at__lt=upload_cutoff
    ).delete()
    ImportJob.objects.filter(
        status__in=[ImportStatus.DONE, ImportStatus.FAILED],
        created_at__lt=upload_cutoff,
        rows_deleted_at__isnull=True,
    ).update(rows=[], outcomes=[], passwords=[], rows_deleted_at=now)
    password_cutoff = now - timedelta(days=settings.INITIAL_PASSWORD_RETENTION_DAYS)
    with_passwords = ImportJob.objects.exclude(passwords=[])
    with_passwords.filter(finished_at__lt=password_cutoff).update(passwords=[])
    for job in with_passwords.only("pk", "passwords"):
        used = _phones_logged_in(job.passwords)
        if used:
            job.passwords = [entry for entry in job.passwords if entry[1] not in used]
            job.save(update_fields=["passwords"])
