import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportSnapshot(models.Model):
    """ "Chốt số liệu quý": a unit's figures for a quarter, frozen as computed.

    One in force per (unit, subject, quarter, audience): the commune's
    figures sent up must be the ones on file, so a second freeze is refused
    unless the admin confirms it replaces the first (a wrong freeze must not
    block the right one). The replaced one stays on file, marked with who
    replaced it and when. The rows are stored as JSON, so later activity
    never changes them."""

    unit = models.ForeignKey(
        "orgunits.Unit", on_delete=models.PROTECT, related_name="report_snapshots"
    )
    subject_key = models.CharField(max_length=30)  # "course:12" / "programme:3"
    subject_title = models.CharField(_("chương trình / khóa học"), max_length=255)
    quarter = models.CharField(_("quý"), max_length=7)  # "2026-Q1"
    audience = models.CharField(_("đối tượng"), max_length=20, blank=True)
    filters = models.JSONField(default=list)  # [[label, value], …] as shown
    levels = models.JSONField(default=list)  # [[level name, [row, …]], …]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm chốt"))
    replaced_at = models.DateTimeField(_("thời điểm chốt lại"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("chốt số liệu quý")
        verbose_name_plural = _("chốt số liệu quý")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "subject_key", "quarter", "audience"],
                condition=models.Q(replaced_at__isnull=True),
                name="uniq_report_snapshot_in_force",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} — {self.subject_title} — {self.quarter}"


def export_upload_to(job: "ExportJob", filename: str) -> str:
    # A random part in the path: even if a misconfigured server exposed
    # MEDIA_ROOT/exports/, the names could not be guessed. The files are
    # meant to be reached only through `export_job_download`.
    return f"exports/{job.created_at:%Y/%m}/{secrets.token_urlsafe(12)}-{filename}"


class ExportKind(models.TextChoices):
    REPORT_XLSX = "report_xlsx", _("Báo cáo (XLSX)")
    REPORT_CSV = "report_csv", _("Báo cáo (CSV)")
    LEARNERS_XLSX = "learners_xlsx", _("Danh sách học viên (XLSX)")
    LEARNERS_CSV = "learners_csv", _("Danh sách học viên (CSV)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class ExportJob(models.Model):
    """A large export built by Celery (REPORTS_EXPORT_ASYNC_FROM learners and
    more). The file is private: only its requester (or a superuser) downloads
    it, through a view that also checks the unit is still in their scope."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("loại tệp"), max_length=20, choices=ExportKind.choices)
    unit = models.ForeignKey(
        "orgunits.Unit", on_delete=models.CASCADE, related_name="export_jobs"
    )
    # `Filters.as_data()` (plus "status" and "q" for the learner list): the
    # task validates them again rather than trusting what was stored.
    filters = models.JSONField(default=dict)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # A Vietnamese msgid shown (translated) to the requester.
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=export_upload_to, blank=True, max_length=255)
    file_name = models.CharField(max_length=120, blank=True)  # offered on download
    # The requester's language: headers and filter labels as on their page.
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tệp xuất báo cáo")
        verbose_name_plural = _("tệp xuất báo cáo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit_id} — {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0
