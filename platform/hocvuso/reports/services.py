from __future__ import annotations

from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.utils import timezone

from hocvuso.orgunits.models import Unit
from hocvuso.orgunits.selectors import AdminScope

from .figures import Figures, Row
from .models import ReportSnapshot
from .periods import quarter_parse
from .report_sql import Subject
from .selectors import report_levels


class SnapshotError(Exception):
    pass


def _row_json(row: Row) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "target": row.target,
        "figures": asdict(row.figures),
    }


def row_from_json(data: dict) -> Row:
    return Row(
        code=data["code"],
        name=data["name"],
        target=data["target"],
        figures=Figures(**data["figures"]),
    )


def report_snapshot_create(
    *,
    scope: AdminScope,
    user,
    unit: Unit,
    subject: Subject,
    quarter: str,
    audience: str,
    filters: list[tuple[str, str]],
) -> ReportSnapshot:
    """Freeze the unit's figures for the quarter; refused if already frozen."""
    period = quarter_parse(quarter)
    levels = report_levels(
        scope=scope, unit=unit, subject=subject, period=period, audience=audience
    )
    if levels is None:
        raise SnapshotError("Đơn vị không thuộc phạm vi quản lý của bạn.")
    try:
        with transaction.atomic():
            return ReportSnapshot.objects.create(
                unit=unit,
                subject_key=subject.key,
                subject_title=subject.title,
                quarter=period.quarter,
                audience=audience,
                filters=[list(f) for f in filters],
                levels=[[name, [_row_json(r) for r in rows]] for name, rows in levels],
                created_by=user,
                created_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise SnapshotError(
            f"Số liệu quý {period.quarter} của đơn vị này đã được chốt."
        ) from exc
