"""The consistency check of the maintained figures (issue 23): a sample of
units recomputed the current way, with the grouped SQL over the raw rows
(`report_sql.py`), and compared with what `maintained.py` kept (the
figures, and the completions per day). Run by
`manage.py reports_check` and nightly by Celery beat (`tasks.py`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import date

from django.utils import timezone

from hocvuso.orgunits.models import Unit

from . import maintained, report_sql
from .fact_rules import ALL
from .figures import Figures
from .periods import ALL_TIME, Period, quarter_last_ended, quarter_of, quarter_parse
from .selectors import subject_get


@dataclass(frozen=True)
class Difference:
    unit_code: str
    subject_key: str
    period: str  # "toàn bộ thời gian" or "2026-Q3"
    column: str
    kept: float
    computed: float

    def __str__(self) -> str:
        return (
            f"Đơn vị {self.unit_code}, {self.subject_key}, {self.period}, "
            f"{self.column}: số liệu duy trì {self.kept:g}, tính lại {self.computed:g}"
        )


def _check_periods(today: date) -> list[tuple[int, Period, str]]:
    """All time, this quarter and the one before (a snapshot's)."""
    this = quarter_of(today)
    last = quarter_last_ended(today)
    return [(ALL, ALL_TIME, "toàn bộ thời gian")] + [
        (maintained.bucket_of_period(p), p, p.quarter)
        for p in map(quarter_parse, (this, last))
    ]


def units_check(
    *, sample: int | None = None, rng: random.Random | None = None
) -> list[Difference]:
    """Recompute, with the grouped SQL over the raw rows, the figures of
    `sample` units drawn at random (every unit when None) for every subject,
    all time and the last two quarters, and list where the kept ones differ."""
    units = list(Unit.objects.order_by("path"))
    if sample is not None and sample < len(units):
        units = (rng or random.SystemRandom()).sample(units, sample)
    subjects = [subject_get(kind=s.kind, pk=s.pk) for s in maintained.subjects_all()]
    periods = _check_periods(timezone.localdate())
    out = []
    for unit in units:
        for subject in filter(None, subjects):
            for bucket, period, label in periods:
                args = dict(
                    unit=unit, subject=subject, audience="", group_len=len(unit.path)
                )
                kept = maintained.grouped_figures(bucket=bucket, **args).get(
                    unit.path, Figures()
                )
                truth = report_sql.grouped_figures(period=period, **args).get(
                    unit.path, Figures()
                )
                out += _differences(unit, subject, label, kept, truth)
            out += _day_differences(unit, subject)
    return out


def _day_differences(unit, subject) -> list[Difference]:
    """The completions-per-day chart: every day, all time."""
    args = dict(unit=unit, subject=subject, period=ALL_TIME, audience="")
    kept = dict(maintained.completions_by_day(**args))
    truth = dict(report_sql.completions_by_day(**args))
    return [
        Difference(
            unit.code,
            subject.key,
            "toàn bộ thời gian",
            f"completed {day:%d/%m/%Y}",
            kept.get(day, 0),
            truth.get(day, 0),
        )
        for day in sorted(kept.keys() | truth.keys())
        if kept.get(day, 0) != truth.get(day, 0)
    ]


def _differences(unit, subject, label, kept: Figures, truth: Figures) -> list:
    out = []
    for f in fields(Figures):
        a, b = getattr(kept, f.name), getattr(truth, f.name)
        if f.name == "bands":
            pairs = [
                (f"band{i}", x, y) for i, (x, y) in enumerate(zip(a, b, strict=True))
            ]
        else:
            pairs = [(f.name, a, b)]
        for column, x, y in pairs:
            if abs(x - y) > 1e-6 * max(1.0, abs(y)):
                out.append(Difference(unit.code, subject.key, label, column, x, y))
    return out
