import hashlib
from contextvars import ContextVar
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hocvuso.orgunits.models import (
    AdminRole,
    AdminRoleKind,
    Team,
    TeamMembership,
    Unit,
    UnitLevel,
)
from hocvuso.orgunits.selectors import AdminScope

from .import_rows import CommuneInfo, ExistingAccount, TeamInfo, fold
from .models import Consent, ImportJob, PrivacyNotice, User
from .phone import phone_normalize

CURRENT_NOTICE_CACHE_KEY = "accounts:privacy-notice-current-id"
# Short, so a notice published for a future date takes effect within a minute.
CURRENT_NOTICE_TTL = 60
CONSENT_SESSION_KEY = "consent_notice_id"


def login_account_key(*, login: str) -> str:
    """One name per account for whatever was typed in the login field, so
    "0901 000 011", "+84901000011" and the username share a failure count.
    Tried in the order the authentication backends try (username, then phone);
    a login that matches no account gets the same treatment, keyed on its
    normalised form, so the lockout does not tell which numbers exist."""
    typed = login.strip()
    user = User.objects.filter(username__iexact=typed).only("pk").first()
    try:
        phone = phone_normalize(typed)
    except ValidationError:
        phone = None
    if user is None and phone:
        user = User.objects.filter(phone=phone).only("pk").first()
    if user is None and "@" in typed:  # a password reset by e-mail clears it
        user = User.objects.filter(email__iexact=typed).only("pk").first()
    if user is not None:
        return f"account:{user.pk}"
    return f"phone:{phone}" if phone else f"login:{typed.lower()}"


def privacy_notice_current() -> PrivacyNotice | None:
    return PrivacyNotice.objects.filter(published_at__lte=timezone.now()).first()


# The cached id, as read along with the session in this request
# (hocvuso.core.sessions), kept for the rest of the request only: None outside
# a request (a Celery task, a websocket), _NOT_READ in one until it is read.
_NOT_READ = object()
_REQUEST_NOTICE_ID: ContextVar[object] = ContextVar(
    "privacy_notice_request_id", default=None
)


def request_notice_id_start(**_kwargs) -> None:
    """At the start of a request (accounts.signals)."""
    _REQUEST_NOTICE_ID.set(_NOT_READ)


def request_notice_id_end(**_kwargs) -> None:
    """At the end of a request (accounts.signals)."""
    _REQUEST_NOTICE_ID.set(None)


def request_notice_id_forget() -> None:
    """A notice was saved or deleted in this request: read the id anew."""
    if _REQUEST_NOTICE_ID.get() is not None:
        _REQUEST_NOTICE_ID.set(_NOT_READ)


def request_notice_id_keep(cached: int | None) -> None:
    """The value under CURRENT_NOTICE_CACHE_KEY, read by the caller in this
    request: kept as if privacy_notice_current_id had read it."""
    if cached is not None and _REQUEST_NOTICE_ID.get() is _NOT_READ:
        _REQUEST_NOTICE_ID.set(cached)


def privacy_notice_current_id() -> int | None:
    """The id of the notice in force, from the cache (0 means "none yet")."""
    notice_id = _REQUEST_NOTICE_ID.get()
    if notice_id is None or notice_id is _NOT_READ:
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


def _chunks(items: list, size: int = 1000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_snapshot_get(
    *, scope: AdminScope, commune_codes: set[str], phones: set[str]
) -> tuple[dict[str, CommuneInfo], dict[str, ExistingAccount]]:
    """What the import validation needs from the database, in a few queries
    whatever the number of rows: the communes named in the file with their
    villages and teams, and the accounts that already have the phone numbers."""
    communes = list(
        Unit.objects.filter(code__in=commune_codes, level=UnitLevel.COMMUNE).only(
            "code", "name", "path"
        )
    )
    by_path = {c.path: c for c in communes}
    villages: dict[str, dict[str, str]] = {c.code: {} for c in communes}
    teams: dict[str, dict[str, TeamInfo]] = {c.code: {} for c in communes}
    in_scope = [c for c in communes if scope.contains(c)]
    if in_scope:
        subtree = reduce(or_, (Q(path__startswith=c.path) for c in in_scope))
        steplen = Unit.steplen
        for village in Unit.objects.filter(subtree, level=UnitLevel.VILLAGE).only(
            "code", "name", "path"
        ):
            commune = by_path[village.path[: len(village.path) - steplen]]
            villages[commune.code][fold(village.name)] = village.code
            villages[commune.code][fold(village.code)] = village.code
        team_rows = Team.objects.filter(
            reduce(or_, (Q(unit__path__startswith=c.path) for c in in_scope))
        ).values_list("id", "name", "unit__code", "unit__path")
        for team_id, name, unit_code, unit_path in team_rows:
            commune = by_path[unit_path[: 2 * steplen]]
            teams[commune.code][fold(name)] = TeamInfo(team_id, name, unit_code)
    commune_info = {
        c.code: CommuneInfo(
            code=c.code,
            name=c.name,
            in_scope=scope.contains(c),
            villages=villages[c.code],
            teams=teams[c.code],
        )
        for c in communes
    }
    accounts: dict[str, ExistingAccount] = {}
    for chunk in _chunks(sorted(phones)):
        users = (
            User.objects.filter(phone__in=chunk)
            .select_related("unit")
            .only(
                "phone",
                "full_name",
                "birth_year",
                "learner_type",
                "is_staff",
                "is_superuser",
                "unit__code",
                "unit__path",
            )
            .annotate(is_admin=Exists(AdminRole.objects.filter(user=OuterRef("pk"))))
        )
        memberships: dict[int, dict[int, str]] = {}
        for user_id, team_id, role in (
            TeamMembership.objects.filter(user__phone__in=chunk)
            .filter(scope.q("team__unit"))
            .values_list("user_id", "team_id", "role")
        ):
            memberships.setdefault(user_id, {})[team_id] = role
        for user in users:
            accounts[user.phone] = ExistingAccount(
                full_name=user.full_name,
                birth_year=user.birth_year,
                unit_code=user.unit.code if user.unit else None,
                learner_type=user.learner_type,
                teams=memberships.get(user.pk, {}),  # in the scope only
                # An account with no unit (a citizen who signed up alone) is
                # nobody's yet: importing its phone must not claim it.
                in_scope=scope.everything or scope.contains(user.unit),
                protected=user.is_staff or user.is_superuser or user.is_admin,
            )
    return commune_info, accounts


def import_job_get(*, user: User, job_id: int) -> ImportJob | None:
    """An import is seen only by the administrator who made it."""
    return ImportJob.objects.filter(pk=job_id, created_by=user).first()


def import_jobs_list(*, user: User, limit: int = 10) -> list[ImportJob]:
    return list(
        ImportJob.objects.filter(created_by=user)
        .defer("rows", "outcomes", "passwords")
        .order_by("-created_at")[:limit]
    )


# Roles whose holders must use a second factor; a team leader sees only
# their own team and is not among them.
SECOND_FACTOR_ROLES = [
    AdminRoleKind.PROVINCE_ADMIN,
    AdminRoleKind.COMMUNE_ADMIN,
    AdminRoleKind.CONTENT_EDITOR,
]


def second_factor_required(*, user: User) -> bool:
    """Every administrator: superusers and staff, province and commune
    admins, content editors, and anyone else the CMS lets in."""
    return (
        user.is_superuser
        or user.is_staff
        or AdminRole.objects.filter(user=user, role__in=SECOND_FACTOR_ROLES).exists()
        or user.has_perm("wagtailadmin.access_admin")
    )


def day_counter_key(*, kind: str, value: str) -> str:
    """The cache key of one counter per thing (a number, an address, an
    account) and calendar day in Vietnam, so every cap resets at midnight."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"accounts:per-day:{kind}:{timezone.localdate():%Y%m%d}:{digest}"


def day_count_get(*, key: str) -> int:
    return cache.get(key) or 0


def sms_code_guesses_exhausted(*, user: User) -> bool:
    key = day_counter_key(kind="code-guesses", value=str(user.pk))
    return day_count_get(key=key) >= settings.SMS_CODE_GUESSES_PER_ACCOUNT_PER_DAY
