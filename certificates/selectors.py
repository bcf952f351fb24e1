import re
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.module_loading import import_string

from courses.models import CourseCompletion, ProgrammeCompletion

from .credentials import key_url
from .models import Certificate, CertificateStatus, CredentialKey

# Key ids are a date and random hex ("20261206-3fa9c2d1"): nothing else
# reaches the database.
KEY_ID = re.compile(r"[0-9a-z-]{1,40}")
# Codes are token_urlsafe: letters, digits, "-" and "_" only.
CODE_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate a code names, or None. Exact match only: a tampered
    code is simply unknown."""
    code = code.strip()
    if not (16 <= len(code) <= 32) or not set(code) <= CODE_CHARS:
        return None
    return (
        Certificate.objects.select_related("replaced_by")
        .only(
            "code",
            "serial",
            "holder_name",
            "title",
            "completed_at",
            "issuer_name",
            "status",
            # Not status_reason: the administrator's words stay internal.
            "revocation_category",
            "status_changed_at",
            "replaced_by__code",
            "replaced_by__serial",
        )
        .filter(code=code)
        .first()
    )


def my_certificates_list(*, user) -> list[Certificate]:
    return list(
        Certificate.objects.filter(user=user)
        .exclude(status=CertificateStatus.REPLACED)
        .order_by("-issued_at")
    )


def certificates_for_admin(*, user, certificates: QuerySet | None = None) -> QuerySet:
    """The certificates an administrator may see (their subtree)."""
    certificates = Certificate.objects.all() if certificates is None else certificates
    scope = import_string(settings.CERTIFICATES_ADMIN_SCOPE)
    return scope(user=user, certificates=certificates)


def certificate_download_get(*, user, code: str) -> Certificate | None:
    """The holder's own certificate, or one of a learner in the admin's subtree."""
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None or not user.is_authenticated:
        return None
    if certificate.user_id == user.pk:
        return certificate
    return certificates_for_admin(
        user=user, certificates=Certificate.objects.filter(pk=certificate.pk)
    ).first()


def course_certificate_get(*, user, course_id: int) -> Certificate | None:
    if not user.is_authenticated:
        return None
    return (
        Certificate.objects.filter(user=user, course_id=course_id)
        .exclude(status=CertificateStatus.REPLACED)
        .first()
    )


def completions_without_certificate(
    *, completed_before: datetime, limit: int
) -> tuple[list[int], list[int]]:
    """(course completion ids, programme completion ids) that have no
    current certificate: their issuing task never ran (the broker was down
    when the learner passed) or is still stuck with a killed worker."""
    current = Certificate.objects.exclude(status=CertificateStatus.REPLACED)
    courses = CourseCompletion.objects.filter(
        completed_at__lt=completed_before
    ).exclude(Exists(current.filter(user=OuterRef("user"), course=OuterRef("course"))))
    programmes = ProgrammeCompletion.objects.filter(
        completed_at__lt=completed_before
    ).exclude(
        Exists(current.filter(user=OuterRef("user"), programme=OuterRef("programme")))
    )
    return (
        list(courses.order_by("completed_at").values_list("pk", flat=True)[:limit]),
        list(programmes.order_by("completed_at").values_list("pk", flat=True)[:limit]),
    )


def certificates_without_files(
    *, issued_before: datetime, limit: int
) -> list[Certificate]:
    return list(
        Certificate.objects.filter(pdf="", issued_at__lt=issued_before)
        # A replaced one is never drawn again; an erased one (its holder asked
        # for deletion, hocvuso.privacy) must not be.
        .exclude(status__in=[CertificateStatus.REPLACED, CertificateStatus.ERASED])
        .order_by("issued_at")[:limit]
    )


def credential_keys_published() -> list[CredentialKey]:
    """Every key whose credentials still verify: the signing one and the
    retired ones, not the withdrawn."""
    return list(
        CredentialKey.objects.filter(withdrawn_at__isnull=True).order_by("created_at")
    )


def credential_key_by_url(url: str) -> CredentialKey | None:
    """The published key a credential's "kid" names: exactly its address."""
    key_id = url.rsplit("/", 1)[-1]
    if not KEY_ID.fullmatch(key_id):
        return None
    key = CredentialKey.objects.filter(key_id=key_id, withdrawn_at__isnull=True).first()
    return key if key is not None and key_url(key) == url else None


def credential_revoked_ids() -> list[int]:
    """The status list's set bits: every certificate that no longer counts
    (revoked, replaced, or its holder's data deleted)."""
    return list(
        Certificate.objects.exclude(status=CertificateStatus.VALID)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
