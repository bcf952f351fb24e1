"""Every write of certificates: issue (idempotent), render, revoke, re-issue,
regenerate. Tasks and admin screens call these."""

import os
import time
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from courses import learner_events
from courses.learner_events import LearningRecord, RecordKind
from courses.models import CourseCompletion, ProgrammeCompletion
from courses.translation import source_language, title_in_language

from . import credentials, render
from .models import (
    Certificate,
    CertificateSettings,
    CertificateStatus,
    CredentialKey,
    RegenerationJob,
    RevocationCategory,
)
from .selectors import (
    certificates_without_files,
    completions_without_certificate,
    credential_revoked_ids,
)

# Across a certificate that no longer counts, on the picture and the PDF.
STATUS_MARKS = {
    CertificateStatus.REVOKED: gettext_lazy("ĐÃ THU HỒI — KHÔNG CÒN GIÁ TRỊ"),
    CertificateStatus.REPLACED: gettext_lazy("ĐÃ ĐƯỢC THAY THẾ"),
}

# A completion this old without a certificate missed its issuing task.
MISSING_AFTER = timedelta(minutes=2)


class CertificateError(Exception):
    """A refusal an administrator must understand; the message is Vietnamese."""


def branding_get(*, user=None) -> CertificateSettings:
    """The template of the site of the learner's province
    (settings.CERTIFICATES_SITE_FOR_LEARNER), else the default site's."""
    site = None
    hook = getattr(settings, "CERTIFICATES_SITE_FOR_LEARNER", "")
    if user is not None and hook:
        site = import_string(hook)(user=user)
    if site is None:
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return CertificateSettings.for_site(site)


def verify_url(certificate: Certificate) -> str:
    base = settings.CERTIFICATES_SITE_URL.rstrip("/")
    return base + reverse("certificate_verify", args=[certificate.code])


def _name(user) -> str:
    name = (getattr(user, "full_name", "") or user.get_username()).strip()
    # NFC: one code point per accented letter, as the fonts and pdftotext expect.
    return unicodedata.normalize("NFC", " ".join(name.split()))


def _course_language(*, user, course) -> str:
    """The language the course was taken in: its best passing test's
    (as the score is); Vietnamese for a course without one."""
    from quizzes.models import Attempt, AttemptStatus

    taken = (
        Attempt.objects.filter(
            user=user, course=course, status=AttemptStatus.FINISHED, passed=True
        )
        .order_by("-score_percent", "-finished_at")
        .values_list("language", flat=True)
        .first()
    )
    return taken or source_language()


def _create(*, user, course=None, programme=None, completed_at, score, holder_name):
    brand = branding_get(user=user)
    target = course or programme
    language = (
        _course_language(user=user, course=course) if course else source_language()
    )
    title = title_in_language(target, language)
    certificate = Certificate.objects.create(
        user=user,
        course=course,
        programme=programme,
        holder_name=holder_name,
        title=title,
        language=language,
        source_title=target.title if title != target.title else "",
        completed_at=completed_at,
        score_percent=score,
        issuer_name=brand.issuer_name,
        signer_name=brand.signer_name,
        signer_title=brand.signer_title,
    )
    year = timezone.localtime(certificate.issued_at).year
    certificate.serial = f"{brand.serial_prefix}-{year}-{certificate.pk:06d}"
    certificate.save(update_fields=["serial"])
    return certificate


def certificate_issue(
    *,
    course_completion_id: int | None = None,
    programme_completion_id: int | None = None,
) -> Certificate | None:
    """One certificate per learner and course (or programme), however many
    times this runs and even when a run died half way: the row is committed
    first (a unique constraint keeps it single), the files follow, and a
    later run renders what an earlier one left without files."""
    if course_completion_id is not None:
        completion = (
            CourseCompletion.objects.select_related("user", "course")
            .filter(pk=course_completion_id)
            .first()
        )
        target = {"course": completion.course} if completion else None
        score = completion.score_percent if completion else None
    else:
        completion = (
            ProgrammeCompletion.objects.select_related("user", "programme")
            .filter(pk=programme_completion_id)
            .first()
        )
        target = {"programme": completion.programme} if completion else None
        score = None
    if completion is None:
        return None
    current = Certificate.objects.filter(user=completion.user, **target).exclude(
        status=CertificateStatus.REPLACED
    )
    certificate = current.first()
    if certificate is None:
        try:
            with transaction.atomic():
                certificate = _create(
                    user=completion.user,
                    completed_at=completion.completed_at,
                    score=score,
                    holder_name=_name(completion.user),
                    **target,
                )
                # A reissue (a corrected name) is the same achievement: only
                # the first certificate is a learning record.
                learner_events.learning_recorded(
                    record=LearningRecord(
                        kind=RecordKind.CERTIFICATE_EARNED,
                        user_id=completion.user_id,
                        page_id=next(iter(target.values())).pk,
                        at=certificate.issued_at,
                    )
                )
        except IntegrityError:  # another run created it a moment ago
            certificate = current.get()
    if not certificate.pdf:
        certificate_render(certificate=certificate)
    return certificate


def certificates_missing_issue(*, now: datetime | None = None, limit: int = 200) -> int:
    """The safety net behind the issuing task: certificates for completions
    that have none yet, and files for certificates whose render died with
    its worker (the broker hands that task back only after its visibility
    timeout, an hour), at least a few minutes on (the task normally takes
    seconds; a second run is harmless anyway)."""
    now = now or timezone.now()
    courses, programmes = completions_without_certificate(
        completed_before=now - MISSING_AFTER, limit=limit
    )
    for pk in courses:
        certificate_issue(course_completion_id=pk)
    for pk in programmes:
        certificate_issue(programme_completion_id=pk)
    unrendered = certificates_without_files(
        issued_before=now - MISSING_AFTER, limit=limit
    )
    for certificate in unrendered:
        certificate_render(certificate=certificate)
    return len(courses) + len(programmes) + len(unrendered)


def certificate_content(
    certificate: Certificate, brand: CertificateSettings
) -> render.CertificateContent:
    """What the PDF and the picture say. The score is for the PDF, which only
    the holder and their administrators download; the picture is public."""
    with translation.override(settings.LANGUAGE_CODE):
        completed = date_format(timezone.localtime(certificate.completed_at), "d/m/Y")
        issued = date_format(timezone.localtime(certificate.issued_at), "d/m/Y")
        score_line = ""
        if certificate.score_percent is not None:
            score_line = _("Điểm: %(score)s%%") % {
                "score": f"{certificate.score_percent:.0f}"
            }
        url = verify_url(certificate)
        seal = None
        if brand.seal_id:
            with brand.seal.file.open("rb") as f:
                seal = f.read()
        return render.CertificateContent(
            issuer=certificate.issuer_name,
            heading=brand.heading,
            intro=_("Chứng nhận"),
            holder_name=certificate.holder_name,
            wording=brand.wording
            if certificate.course_id
            else _("Đã hoàn thành chương trình"),
            title=certificate.title,
            source_title=_("Tiếng Việt: %(title)s")
            % {"title": certificate.source_title}
            if certificate.source_title
            else "",
            details=_("Ngày hoàn thành: %(date)s") % {"date": completed},
            score_line=score_line,
            status_mark=str(STATUS_MARKS.get(certificate.status, "")),
            issued_line=_("Cấp ngày %(date)s") % {"date": issued},
            signer_title=certificate.signer_title,
            signer_name=certificate.signer_name,
            serial_line=_("Số hiệu: %(serial)s") % {"serial": certificate.serial},
            verify_line=_("Xác minh: %(url)s") % {"url": url},
            disclaimer=_(
                "Chứng nhận do nền tảng Bình dân học vụ số cấp; đây không phải dữ liệu VNeID."
            ),
            verify_url=url,
            seal_png=seal,
        )


def _pause_for_tests() -> None:
    """Test-only hook (CERTIFICATES_RENDER_PAUSE_FILE): announce the render
    by creating the file, then wait, so a test can kill the worker right
    here, deterministically. Empty in every real deployment."""
    marker = settings.CERTIFICATES_RENDER_PAUSE_FILE
    if marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(300)


def certificate_render(*, certificate: Certificate, brand=None) -> Certificate:
    """Draw the PDF and PNG and store them; replaces earlier files."""
    if certificate.status == CertificateStatus.ERASED:
        return certificate  # nothing about the holder may be drawn again
    brand = brand or branding_get(user=certificate.user)
    content = certificate_content(certificate, brand)
    _pause_for_tests()
    pdf, png = render.pdf_render(content), render.png_render(content)
    old = [f.name for f in (certificate.pdf, certificate.png) if f]
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=False)
    certificate.png.save(f"{certificate.code}.png", ContentFile(png), save=False)
    certificate.rendered_at = timezone.now()
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=certificate.pdf.name,
        png=certificate.png.name,
        rendered_at=certificate.rendered_at,
    )
    storage = certificate.pdf.storage
    for name in old:
        if name not in (certificate.pdf.name, certificate.png.name):
            storage.delete(name)
    return certificate


def _reason_check(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise CertificateError(_("Hãy ghi lý do."))
    return reason


def certificate_picture_get(*, certificate: Certificate):
    """The stored picture, drawn again first when it predates the last change
    of status (revoked before the mark existed, or its render task is still
    queued): a revoked certificate's picture never looks valid."""
    stale = certificate.status != CertificateStatus.VALID and (
        certificate.rendered_at is None
        or certificate.rendered_at < (certificate.status_changed_at or timezone.now())
    )
    if stale:
        certificate = certificate_render(certificate=certificate)
    return certificate.png


def _render_on_commit(certificate: Certificate) -> None:
    from .tasks import certificate_render_task

    transaction.on_commit(lambda: certificate_render_task.delay(certificate.pk))


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, category: str, reason: str, now=None
) -> Certificate:
    """`category` is what the public reads; `reason`, the administrator's own
    words, stays internal."""
    if category not in RevocationCategory.values:
        raise CertificateError(_("Hãy chọn loại lý do thu hồi."))
    reason = _reason_check(reason)
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status != CertificateStatus.VALID:
        raise CertificateError(_("Chỉ thu hồi được chứng nhận đang hợp lệ."))
    locked.status = CertificateStatus.REVOKED
    locked.revocation_category = category
    locked.status_reason = reason
    locked.status_changed_at = now or timezone.now()
    locked.save(
        update_fields=[
            "status",
            "revocation_category",
            "status_reason",
            "status_changed_at",
        ]
    )
    _render_on_commit(locked)
    return locked


@transaction.atomic
def certificate_reissue(
    *, certificate: Certificate, holder_name: str, reason: str, now=None
) -> Certificate:
    """After a name correction: a new certificate (new code and serial); the
    old one shows "replaced by …" and its code keeps verifying."""
    reason = _reason_check(reason)
    holder_name = unicodedata.normalize("NFC", " ".join(holder_name.split()))
    if not holder_name:
        raise CertificateError(_("Hãy nhập họ và tên đúng."))
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status != CertificateStatus.VALID:
        raise CertificateError(_("Chỉ cấp lại được chứng nhận đang hợp lệ."))
    old.status = CertificateStatus.REPLACED
    old.status_reason = reason
    old.status_changed_at = now or timezone.now()
    old.save(update_fields=["status", "status_reason", "status_changed_at"])
    new = _create(
        user=old.user,
        course=old.course,
        programme=old.programme,
        completed_at=old.completed_at,
        score=old.score_percent,
        holder_name=holder_name,
    )
    Certificate.objects.filter(pk=old.pk).update(replaced_by=new)
    _render_on_commit(new)
    _render_on_commit(old)
    return new


@transaction.atomic
def certificates_holder_erase(*, user, now=None) -> int:
    """The holder's personal data was deleted: their certificates keep their
    codes (a printed one still verifies as genuine, "no longer shown") but
    lose the name, the score and the drawn files. Returns how many."""
    certificates = list(Certificate.objects.select_for_update().filter(user=user))
    for certificate in certificates:
        for stored in (certificate.pdf, certificate.png):
            if stored:
                stored.storage.delete(stored.name)
    Certificate.objects.filter(user=user).update(
        status=CertificateStatus.ERASED,
        holder_name="",
        score_percent=None,
        status_reason="",
        status_changed_at=now or timezone.now(),
        pdf="",
        png="",
    )
    return len(certificates)


def regeneration_start(*, user) -> RegenerationJob:
    job = RegenerationJob.objects.create(
        started_by=user, total=Certificate.objects.count()
    )
    from .tasks import certificates_regenerate_task

    transaction.on_commit(lambda: certificates_regenerate_task.delay(job.pk))
    return job


def certificates_regenerate(
    *, job_id: int, now: datetime | None = None
) -> RegenerationJob:
    """Re-draw every certificate rendered before the job started. Running it
    again (a redelivered task) continues where it stopped."""
    job = RegenerationJob.objects.get(pk=job_id)
    todo = (
        Certificate.objects.exclude(rendered_at__gte=job.created_at)
        .exclude(status=CertificateStatus.ERASED)
        .select_related("user")
        .order_by("pk")
    )
    for certificate in todo.iterator(chunk_size=200):
        certificate_render(certificate=certificate)
        RegenerationJob.objects.filter(pk=job.pk).update(
            done=Certificate.objects.filter(rendered_at__gte=job.created_at).count()
        )
    RegenerationJob.objects.filter(pk=job.pk).update(
        done=job.total, finished_at=now or timezone.now()
    )
    job.refresh_from_db()
    return job


# ------------------------------------------------ verifiable credentials


def credential_key_rotate(
    *, withdraw_previous: bool = False, now: datetime | None = None
) -> CredentialKey:
    """A new signing key. The previous ones retire: they sign nothing more
    but stay published, so the credentials they signed still verify. After
    a leak, `withdraw_previous` stops publishing them: every credential they
    signed then fails, and its holder downloads it again, signed anew."""
    now = now or timezone.now()
    key_id, public_jwk, private_pem = credentials.key_material_new()
    with transaction.atomic():
        previous = CredentialKey.objects.filter(retired_at__isnull=True)
        previous.update(retired_at=now)
        if withdraw_previous:
            CredentialKey.objects.filter(withdrawn_at__isnull=True).update(
                withdrawn_at=now
            )
        return CredentialKey.objects.create(
            key_id=key_id, public_jwk=public_jwk, private_key_encrypted=private_pem
        )


def credential_key_current() -> CredentialKey:
    """The key that signs now; the site's first credential makes the first
    (two at once make two, the older retired at once: both stay published)."""
    key = (
        CredentialKey.objects.filter(retired_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    return key or credential_key_rotate()


def _achievement_texts(certificate: Certificate) -> dict[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        if certificate.course_id:
            return {
                "description": _(
                    "Hoàn thành khóa học “%(title)s” trên nền tảng Bình dân học vụ số."
                )
                % {"title": certificate.title},
                "criteria": _(
                    "Hoàn thành các bài học bắt buộc và đạt bài kiểm tra cuối khóa."
                ),
            }
        return {
            "description": _(
                "Hoàn thành chương trình “%(title)s” trên nền tảng Bình dân học vụ số."
            )
            % {"title": certificate.title},
            "criteria": _("Hoàn thành mọi khóa học của chương trình."),
        }


def certificate_credential(*, certificate: Certificate) -> str:
    """The certificate as a signed Open Badges 3.0 credential, signed when
    asked for with the current key: a rotation needs no re-issue, and an
    old download keeps verifying with its retired key."""
    credential = credentials.credential_build(
        certificate, texts=_achievement_texts(certificate)
    )
    return credentials.sign(
        credential, key=credential_key_current(), not_before=certificate.issued_at
    )


def status_list_credential(*, now: datetime | None = None) -> str:
    """The signed status list, as it is at this moment."""
    now = now or timezone.now()
    status_list = credentials.status_list_build(
        revoked=credential_revoked_ids(),
        issuer_name=branding_get().issuer_name,
        now=now,
    )
    return credentials.sign(status_list, key=credential_key_current(), not_before=now)
