from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportSnapshot(models.Model):
    """ "Chốt số liệu quý": a unit's figures for a quarter, frozen as computed.

    One per (unit, subject, quarter, audience): a quarter is reported once, so
    a second freeze is refused rather than silently versioned (the commune's
    figures sent up must be the ones on file). The rows are stored as JSON, so
    later activity never changes them."""

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

    class Meta:
        verbose_name = _("chốt số liệu quý")
        verbose_name_plural = _("chốt số liệu quý")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "subject_key", "quarter", "audience"],
                name="uniq_report_snapshot",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} — {self.subject_title} — {self.quarter}"
