from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from dataclasses import replace as replace_dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hocvuso.campaigns.selectors import (
    campaign_choices_for_scope,
    report_levels_in_campaign,
    report_rows_in_campaign,
)
from hocvuso.orgunits.models import Unit
from hocvuso.orgunits.selectors import AdminScope, admin_scope_get
from hocvuso.privacy.services import learner_list_access_record
from hocvuso.training.selectors import quarter_training_figures

from . import exports
from .figures import Figures, Row
from .filters import Filters, filters_from_data
from .models import ExportJob, ExportKind, ExportStatus, ReportSnapshot
from .periods import PeriodError, quarter_parse
from .selectors import (
    STATUS_LABELS,
    completion_report_rows,
    learner_list_iter,
    report_depths,
    report_levels,
    report_levels_iter,
)

logger = logging.getLogger(__name__)


class SnapshotError(Exception):
    pass


def _row_json(row: Row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "target": row.target,
        "figures": asdict(row.figures),
        "parent_name": row.parent_name,
    }


def row_from_json(data: dict) -> Row:
    return Row(
        code=data["code"],
        name=data["name"],
        target=data["target"],
        figures=Figures(**data["figures"]),
        parent_name=data.get("parent_name", ""),  # not kept before issue 24
    )


class SnapshotExists(SnapshotError):
    """The quarter is already frozen: replacing it needs a confirmation."""

    def __init__(self, message: str, snapshot: ReportSnapshot):
        super().__init__(message)
        self.snapshot = snapshot


def report_snapshot_create(
    *,
    scope: AdminScope,
    user,
    unit: Unit,
    filters: Filters,
    quarter: str,
    replace: bool = False,
) -> ReportSnapshot:
    """Freeze the unit's figures for a quarter that has ended. A quarter
    already frozen raises SnapshotExists unless `replace`: then the frozen
    one is kept on file, marked replaced by `user` now."""
    try:
        period = quarter_parse(quarter)
    except PeriodError as exc:
        raise SnapshotError(str(exc)) from exc
    today = timezone.localdate()
    if period.start > today:
        raise SnapshotError(
            _("Quý %(q)s chưa bắt đầu: chỉ chốt được số liệu của quý đã kết thúc.")
            % {"q": period.quarter}
        )
    if period.end > today:
        raise SnapshotError(
            _(
                "Quý %(q)s chưa kết thúc (hết ngày %(last)s): chỉ chốt được số liệu "
                "của quý đã kết thúc."
            )
            % {"q": period.quarter, "last": period.last_day.strftime("%d/%m/%Y")}
        )
    frozen = replace_dataclass(filters, period=period)
    levels = report_levels(
        scope=scope,
        unit=unit,
        subject=frozen.subject,
        period=period,
        audience=frozen.audience,
    )
    if levels is None:
        raise SnapshotError(_("Đơn vị không thuộc phạm vi quản lý của bạn."))
    training = quarter_training_figures(
        unit=unit,
        course_ids=frozen.subject.course_ids,
        start=period.start,
        end=period.end,
        audience=frozen.audience,
    )
    now = timezone.now()
    with transaction.atomic():
        in_force = (
            ReportSnapshot.objects.select_for_update()
            .filter(
                unit=unit,
                subject_key=frozen.subject.key,
                quarter=period.quarter,
                audience=frozen.audience,
                replaced_at__isnull=True,
            )
            .first()
        )
        if in_force is not None:
            if not replace:
                raise SnapshotExists(
                    _("Số liệu quý %(q)s của đơn vị này đã được chốt.")
                    % {"q": period.quarter},
                    in_force,
                )
            in_force.replaced_at, in_force.replaced_by = now, user
            in_force.save(update_fields=["replaced_at", "replaced_by"])
        try:
            with transaction.atomic():
                return ReportSnapshot.objects.create(
                    unit=unit,
                    subject_key=frozen.subject.key,
                    subject_title=frozen.subject.title,
                    quarter=period.quarter,
                    audience=frozen.audience,
                    filters=[list(f) for f in frozen.describe()],
                    levels=[
                        [name, [_row_json(r) for r in rows]] for name, rows in levels
                    ],
                    training=training,
                    created_by=user,
                    created_at=now,
                )
        except IntegrityError as exc:  # frozen by someone else meanwhile
            raise SnapshotError(
                _("Số liệu quý %(q)s của đơn vị này đã được chốt.")
                % {"q": period.quarter}
            ) from exc


# --- Background exports ------------------------------------------------------

EXPORT_PROGRESS_EVERY = 1000  # rows written between two progress updates
# A job still queued or running after this long is not reused by a new
# request for the same file (its message may have been lost).
EXPORT_REUSE_WITHIN = timedelta(hours=1)


class ExportError(Exception):
    """A job that cannot be built; the message is a Vietnamese msgid."""


def export_job_start(*, user, unit: Unit, filters: dict, kind: str) -> ExportJob:
    """Queue a background export of `unit`. The same export still being
    built (a second click) is returned instead of queued twice."""
    if kind not in ExportKind.values:
        raise ValueError(kind)
    if not admin_scope_get(user=user).contains(unit):
        raise ExportError(gettext_noop("Đơn vị không thuộc phạm vi quản lý của bạn."))
    active = ExportJob.objects.filter(
        requested_by=user,
        unit=unit,
        kind=kind,
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        created_at__gte=timezone.now() - EXPORT_REUSE_WITHIN,
    )
    for job in active:
        if job.filters == filters:
            return job
    job = ExportJob.objects.create(
        requested_by=user,
        unit=unit,
        kind=kind,
        filters=filters,
        language=translation.get_language() or "",
    )
    from .tasks import export_job_run_task

    transaction.on_commit(lambda: export_job_run_task.delay(job.pk))
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the job's file on disk and attach it. A done (or failed) job is
    left alone, so a redelivered task does not build it twice; a job found
    running was interrupted and is built again from the start."""
    job = ExportJob.objects.select_related("unit", "requested_by").get(pk=job_id)
    if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, done=0, error=""
    )
    try:
        with (
            translation.override(job.language or None),
            tempfile.TemporaryDirectory(prefix="hocvuso-export-") as tmp,
        ):
            scope, filters = _export_checked(job)
            path = Path(tmp) / "export"
            name = _BUILDERS[job.kind](job=job, scope=scope, filters=filters, path=path)
            _export_attach(job, path=path, name=name)
    except ExportError as exc:
        return _export_failed(job, str(exc))
    except Exception:
        logger.exception("export job %s failed", job.pk)
        return _export_failed(
            job,
            gettext_noop(
                "Không tạo được tệp do lỗi hệ thống. Hãy thử lại; nếu vẫn lỗi, "
                "hãy báo cho quản trị hệ thống."
            ),
        )
    return job


def _export_checked(job: ExportJob) -> tuple[AdminScope, Filters]:
    """The scope is checked again when the job runs: a role removed since the
    request no longer gets the file."""
    scope = admin_scope_get(user=job.requested_by)
    if not job.requested_by.is_active or not scope.contains(job.unit):
        raise ExportError(
            gettext_noop("Đơn vị này không còn thuộc phạm vi quản lý của bạn.")
        )
    # A campaign the requester may no longer see makes the filters invalid.
    campaigns = (
        campaign_choices_for_scope(scope=scope) if job.filters.get("campaign") else []
    )
    filters = filters_from_data(job.filters, campaigns=campaigns)
    if filters is None:
        raise ExportError(
            gettext_noop(
                "Bộ lọc của tệp không còn hợp lệ (chương trình hoặc khóa học có thể "
                "đã bị gỡ). Hãy chọn lại bộ lọc và tải lại."
            )
        )
    return scope, filters


def _export_progress(job: ExportJob, *, done: int, total: int | None = None) -> None:
    job.done = done
    fields = {"done": done}
    if total is not None:
        job.total = fields["total"] = total
    ExportJob.objects.filter(pk=job.pk).update(**fields)


def _export_counted(job: ExportJob, rows: Iterable) -> Iterator:
    for n, row in enumerate(rows, 1):
        yield row
        if n % EXPORT_PROGRESS_EVERY == 0:
            _export_progress(job, done=n)


def _export_attach(job: ExportJob, *, path: Path, name: str) -> None:
    if job.file:  # left by an interrupted run
        job.file.delete(save=False)
    with path.open("rb") as fh:
        job.file.save(name, File(fh), save=False)
    job.file_name = name
    job.status = ExportStatus.DONE
    job.done = job.total
    job.finished_at = timezone.now()
    job.save(
        update_fields=["file", "file_name", "status", "done", "total", "finished_at"]
    )


def _export_failed(job: ExportJob, message: str) -> ExportJob:
    job.status = ExportStatus.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def _write_csv(path: Path, chunks: Iterable[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        for chunk in chunks:
            out.write(chunk)


def _build_report_xlsx(*, job, scope, filters: Filters, path: Path) -> str:
    unit, subject = job.unit, filters.subject
    _export_progress(job, done=0, total=len(report_depths(unit=unit)))
    levels = []
    for level in report_levels_iter(
        unit=unit, subject=subject, period=filters.period, audience=filters.audience
    ):
        levels.append(level)
        _export_progress(job, done=len(levels))
    if filters.campaign is not None:
        levels = report_levels_in_campaign(
            levels=levels, campaign=filters.campaign, unit=unit
        )
    exports.report_workbook(
        title=f"{_('Báo cáo hoàn thành')} — {unit.name}",
        filters=filters.describe(),
        generated_at=timezone.now(),
        levels=levels,
        with_target=exports.levels_with_target(levels),
        kind=subject.kind,
    ).save(path)
    return exports.report_file_name(
        unit_code=unit.code, subject=subject, ext="xlsx", at=job.created_at
    )


def _build_report_csv(*, job, scope, filters: Filters, path: Path) -> str:
    _export_progress(job, done=0, total=1)
    report = completion_report_rows(
        scope=scope,
        unit=job.unit,
        subject=filters.subject,
        period=filters.period,
        audience=filters.audience,
    )
    if filters.campaign is not None:
        report.rows, report.total = report_rows_in_campaign(
            rows=report.rows, campaign=filters.campaign, unit=job.unit
        )
    _write_csv(
        path,
        exports.report_csv(
            rows=report.rows,
            total=report.total,
            filters=filters.describe(),
            generated_at=report.generated_at,
            with_target=exports.levels_with_target(
                [("", [report.total, *report.rows])]
            ),
            kind=filters.subject.kind,
        ),
    )
    return exports.report_file_name(
        unit_code=job.unit.code,
        subject=filters.subject,
        ext="csv",
        at=job.created_at,
    )


def _build_learners(*, job, scope, filters: Filters, path: Path) -> str:
    unit = job.unit
    count, rows = learner_list_iter(
        scope=scope,
        viewer=job.requested_by,
        unit=unit,
        subject=filters.subject,
        audience=filters.audience,
        status=job.filters.get("status", ""),
        search=job.filters.get("q", ""),
        direct=job.filters.get("direct") == "1",
        period=filters.period,
    )
    _export_progress(job, done=0, total=count)
    full_phones = [0]
    rows = _export_counted(job, _phones_counted(rows, full_phones))
    describe = filters.describe() + [(_("Đơn vị"), unit.name)]
    if job.kind == ExportKind.LEARNERS_XLSX:
        exports.learners_workbook(
            title=f"{_('Danh sách học viên')} — {unit.name}",
            filters=describe,
            generated_at=timezone.now(),
            rows=rows,
            status_labels=STATUS_LABELS,
        ).save(path)
        ext = "xlsx"
    else:
        _write_csv(
            path,
            exports.learners_csv(
                filters=describe,
                generated_at=timezone.now(),
                rows=rows,
                status_labels=STATUS_LABELS,
            ),
        )
        ext = "csv"
    learner_list_access_record(
        actor=job.requested_by,
        unit=unit,
        people_with_full_phone=full_phones[0],
        exported=True,
    )
    return exports.learners_file_name(
        unit_code=unit.code, subject=filters.subject, ext=ext
    )


def _phones_counted(rows: Iterable, full_phones: list[int]) -> Iterator:
    """Passes the rows on, counting in `full_phones[0]` those shown with a
    full number, for the access log."""
    for row in rows:
        full_phones[0] += row.phone_full
        yield row


_BUILDERS = {
    ExportKind.REPORT_XLSX: _build_report_xlsx,
    ExportKind.REPORT_CSV: _build_report_csv,
    ExportKind.LEARNERS_XLSX: _build_learners,
    ExportKind.LEARNERS_CSV: _build_learners,
}


def export_jobs_expire(*, now: datetime) -> None:
    """Retention (README, "Personal data"), run each night: an export (a
    learner list with phones, a report) and its file are deleted
    EXPORT_FILE_RETENTION_DAYS after the request; one still being built is
    left to finish."""
    cutoff = now - timedelta(days=settings.EXPORT_FILE_RETENTION_DAYS)
    expired = ExportJob.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
    )
    for job in expired.only("pk", "file"):
        if job.file:
            job.file.delete(save=False)
        job.delete()
