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
    # The quarter's training days (training.selectors.quarter_training_figures):
    # {"rows": [figures per unit below], "total": figures}; {} on snapshots
    # frozen before they were kept.
    training = models.JSONField(default=dict, blank=True)
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


class LearnerFact(models.Model):
    """One learner's DESIGN §7 facts for one subject (a course or a programme)
    in one time bucket: 0 for all time, else a quarter (`maintained.py`).
    A row exists only while the learner is in the subject's scope; the
    all-time row always does then, a quarter's only when something happened
    in it. Kept by `maintained.learners_refresh` alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=9)  # "course" | "programme"
    subject_id = models.IntegerField()
    bucket = models.IntegerField()
    unit = models.ForeignKey(
        "orgunits.Unit", on_delete=models.CASCADE, related_name="+"
    )
    learner_type = models.CharField(max_length=20)
    started = models.BooleanField()
    tested = models.BooleanField()
    completed = models.BooleanField()
    passed = models.BooleanField()
    best = models.FloatField(null=True)
    completed_on = models.DateField(null=True)  # all-time row, local day

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "subject_id", "bucket"],
                name="uniq_learner_fact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}:{self.subject_id} @{self.bucket}"


class UnitFigure(models.Model):
    """The sums of `LearnerFact` per unit, learner type, subject, bucket and
    shard (the learner's id modulo `maintained.SHARDS`): the report adds up
    these rows instead of reading every learner's."""

    unit = models.ForeignKey(
        "orgunits.Unit", on_delete=models.CASCADE, related_name="+"
    )
    learner_type = models.CharField(max_length=20)
    kind = models.CharField(max_length=9)
    subject_id = models.IntegerField()
    bucket = models.IntegerField()
    shard = models.SmallIntegerField()
    in_scope = models.IntegerField(default=0)
    started = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    tested = models.IntegerField(default=0)
    passed = models.IntegerField(default=0)
    scored = models.IntegerField(default=0)
    score_sum = models.FloatField(default=0)
    band0 = models.IntegerField(default=0)
    band1 = models.IntegerField(default=0)
    band2 = models.IntegerField(default=0)
    band3 = models.IntegerField(default=0)
    band4 = models.IntegerField(default=0)
    band5 = models.IntegerField(default=0)
    band6 = models.IntegerField(default=0)
    band7 = models.IntegerField(default=0)
    band8 = models.IntegerField(default=0)
    band9 = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "kind",
                    "subject_id",
                    "bucket",
                    "unit",
                    "learner_type",
                    "shard",
                ],
                name="uniq_unit_figure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind}:{self.subject_id} @{self.bucket}"


class UnitDay(models.Model):
    """Completions of the learners of a unit's subtree (counted at their own
    unit and at every unit above it), per learner type, subject, local day
    and shard: the report's completions-per-day chart reads one unit's rows
    instead of every completion below it. Kept with `UnitFigure`, from the
    all-time `LearnerFact.completed_on`, so it counts the same learners as
    the report's "completed" column."""

    unit = models.ForeignKey(
        "orgunits.Unit", on_delete=models.CASCADE, related_name="+"
    )
    learner_type = models.CharField(max_length=20)
    kind = models.CharField(max_length=9)
    subject_id = models.IntegerField()
    day = models.DateField()
    shard = models.SmallIntegerField()
    completed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "unit", "learner_type", "day", "shard"],
                name="uniq_unit_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind}:{self.subject_id} {self.day}"


class MaintainedState(models.Model):
    """One row: whether the maintained figures cover every learner (set by
    `reports_backfill`). Until then the report computes from the raw rows.
    `days_ready_at` is the same for `UnitDay`, which came later: an
    installation upgraded with completions on file draws the chart from the
    raw rows until its next backfill."""

    ready_at = models.DateTimeField(null=True)
    days_ready_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"ready at {self.ready_at}"


class RefreshKind(models.TextChoices):
    UNIT = "unit"  # every learner under `unit_path`
    TEAM = "team"  # every member of `team_id`
    PROGRAMME = "programme"  # everyone a programme's course list can reach


class RefreshJob(models.Model):
    """Learners whose maintained figures a bulk change of scope made stale,
    to be refreshed in the background (`refresh_jobs.py`): written in the
    change's own transaction, so a lost Celery task is found again by the
    beat sweep and resumes after `after_user_id`. While one is unfinished,
    the report pages of the units it touches say the figures are being
    updated."""

    kind = models.CharField(max_length=10, choices=RefreshKind.choices)
    unit_path = models.CharField(max_length=255, blank=True)
    team_id = models.IntegerField(null=True)
    programme_id = models.IntegerField(null=True)
    course_ids = models.JSONField(default=list)
    # The report pages that show the notice: units whose path starts with
    # this, or whose subtree holds it ("" for every unit).
    scope_path = models.CharField(max_length=255, blank=True)
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True)
    heartbeat_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    total = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    after_user_id = models.IntegerField(default=0)
    runs = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="refresh_job_unfinished",
                condition=models.Q(finished_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reason}"

    @property
    def percent(self) -> int:
        if self.finished_at is not None:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0
