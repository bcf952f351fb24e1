"""Reads for the backup manifest and the restore drill (hocvuso.core.backups)."""

from django.contrib.auth import get_user_model

from certificates.models import Certificate, CertificateStatus
from quizzes.models import Answer, Attempt


def backup_counts_get() -> dict[str, int]:
    """What a restore must bring back, counted row by row."""
    users = get_user_model().objects
    return {
        "accounts": users.count(),
        "learners": users.filter(is_staff=False, is_superuser=False).count(),
        "attempts": Attempt.objects.count(),
        "answers": Answer.objects.count(),
        "certificates": Certificate.objects.count(),
    }


def certificate_sample_get() -> dict | None:
    """The newest valid certificate with its PDF: the drill verifies it."""
    certificate = (
        Certificate.objects.filter(status=CertificateStatus.VALID)
        .exclude(pdf="")
        .order_by("-issued_at", "-pk")
        .first()
    )
    if certificate is None:
        return None
    return {
        "code": certificate.code,
        "holder_name": certificate.holder_name,
        "status": certificate.status,
        "pdf": certificate.pdf.name,
    }
