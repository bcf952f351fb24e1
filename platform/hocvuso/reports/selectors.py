"""Reads for the reports. Every entry point takes the admin's scope (from
`hocvuso.orgunits.selectors.admin_scope_get`) and refuses units outside it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courses.models import (
    CoursePage,
    ProgrammeCourse,
    ProgrammePage,
)
from hocvuso.core.collation import vietnamese_sort_key
from hocvuso.orgunits.models import AdminRole, Unit, UnitLevel, UnitTarget
from hocvuso.orgunits.selectors import AdminScope

from . import maintained, report_sql
from .figures import Figures, Row, total_row
from .masking import phone_visible, phone_visible_prefixes
from .models import ExportJob
from .periods import ALL_TIME, Period
from .report_sql import Subject

LEVEL_NAMES = {1: "Tỉnh", 2: "Xã, phường", 3: "Thôn, tổ dân phố"}


def subject_get(*, kind: str, pk: int) -> Subject | None:
    if kind == "programme":
        programme = ProgrammePage.objects.filter(pk=pk).only("title").first()
        if programme is None:
            return None
        ids = tuple(
            ProgrammeCourse.objects.filter(programme=programme)
            .order_by("sort_order")
            .values_list("course_id", flat=True)
        )
        return Subject("programme", programme.pk, programme.title, ids)
    course = CoursePage.objects.filter(pk=pk).only("title").first()
    if course is None:
        return None
    programmes = tuple(
        ProgrammeCourse.objects.filter(course=course).values_list(
            "programme_id", flat=True
        )
    )
    return Subject("course", course.pk, course.title, (course.pk,), programmes)


def subject_choices(*, courses=None) -> list[tuple[str, str]]:
    """("programme:3", title) then ("course:12", title), two queries.
    `courses`: those the administrator may see (province_sites'
    courses_in_scope); every live course without it."""
    if courses is None:
        courses = CoursePage.objects.live().order_by("topic_number")
    out = [
        (f"programme:{p.pk}", p.title)
        for p in ProgrammePage.objects.live().order_by("title").only("title")
    ]
    out += [(f"course:{c.pk}", c.title) for c in courses.only("title")]
    return out


@dataclass
class Report:
    unit: Unit
    subject: Subject
    period: Period
    audience: str
    rows: list[Row]
    total: Row
    generated_at: datetime = field(default_factory=timezone.now)


def _targets(subject: Subject, units: list[Unit]) -> dict[int, int]:
    if subject.kind != "programme":
        return {}
    return dict(
        UnitTarget.objects.filter(programme_id=subject.pk, unit__in=units).values_list(
            "unit_id", "learners"
        )
    )


def _grouped_figures(
    *, unit: Unit, subject: Subject, period: Period, audience: str, group_len: int
) -> dict[str, Figures]:
    """The maintained figures when they hold this period (all time, a
    quarter) and cover every learner; otherwise the grouped SQL over the raw
    rows. Either way the same numbers (tests/hocvuso/reports/
    test_maintained_oracle.py)."""
    bucket = maintained.bucket_of_period(period)
    if bucket is not None and maintained.is_ready():
        return maintained.grouped_figures(
            unit=unit,
            subject=subject,
            bucket=bucket,
            audience=audience,
            group_len=group_len,
        )
    return report_sql.grouped_figures(
        unit=unit,
        subject=subject,
        period=period,
        audience=audience,
        group_len=group_len,
    )


# The row of learners registered on a unit but on none of its children, by
# the level of that unit: what they have not given.
DIRECT_ROW_NAMES = {
    UnitLevel.PROVINCE: gettext_noop("Chưa ghi xã/phường"),
    UnitLevel.COMMUNE: gettext_noop("Chưa ghi thôn/tổ dân phố"),
}


def level_rows(
    *, unit: Unit, subject: Subject, period: Period, audience: str, depth: int
) -> list[Row]:
    """One row per unit at `depth` below (or at) `unit`, then one row per
    unit above that depth for the learners registered on it directly (a
    commune's residents who gave no village). Three queries."""
    steplen = Unit.steplen
    figures = _grouped_figures(
        unit=unit,
        subject=subject,
        period=period,
        audience=audience,
        group_len=depth * steplen,
    )
    # The units of the level and every unit above them (their parents, and
    # the units whose own residents are left in `figures`), in one query.
    tree = Unit.objects.filter(
        Q(path__startswith=unit.path, depth__lte=depth)
        | Q(path=unit.path[: (depth - 1) * steplen])
    )
    units, parents = [], {}
    for u in tree:
        if u.depth == depth:
            units.append(u)
        else:
            parents[u.path] = u
    units.sort(key=lambda u: vietnamese_sort_key(u.name))
    targets = _targets(subject, units)
    rows = [
        Row(
            code=u.code,
            name=u.name,
            figures=figures.pop(u.path, Figures()),
            target=targets.get(u.pk),
            drill=u.numchild > 0,
            parent_name=getattr(
                parents.get(u.path[: (depth - 1) * steplen]), "name", ""
            ),
        )
        for u in units
    ]
    for path in sorted(figures, key=lambda p: vietnamese_sort_key(parents[p].name)):
        parent = parents[path]
        rows.append(
            Row(
                code="",
                name=_(DIRECT_ROW_NAMES[parent.level]),
                figures=figures[path],
                parent_name=parent.name,
                direct_of=parent.code,
            )
        )
    return rows


def completion_report_rows(
    *, scope: AdminScope, unit: Unit, subject: Subject, period: Period, audience: str
) -> Report | None:
    """The report of `unit`: one row per child unit and a totals row."""
    if not scope.contains(unit):
        return None
    if unit.numchild:
        rows = level_rows(
            unit=unit,
            subject=subject,
            period=period,
            audience=audience,
            depth=unit.depth + 1,
        )
    else:
        rows = level_rows(
            unit=unit,
            subject=subject,
            period=period,
            audience=audience,
            depth=unit.depth,
        )
    target = _targets(subject, [unit]).get(unit.pk)
    total = total_row(
        [r for r in rows], code=unit.code, name=_("Tổng cộng"), target=target
    )
    return Report(
        unit=unit,
        subject=subject,
        period=period,
        audience=audience,
        rows=rows,
        total=total,
    )


def report_depths(*, unit: Unit) -> range:
    """The depths of the export's levels: the unit's own, then each one below."""
    max_depth = (
        Unit.objects.filter(path__startswith=unit.path)
        .order_by("-depth")
        .values_list("depth", flat=True)
        .first()
    )
    return range(unit.depth, (max_depth or unit.depth) + 1)


def report_levels_iter(
    *, unit: Unit, subject: Subject, period: Period, audience: str
) -> Iterator[tuple[str, list[Row]]]:
    """The export's levels one at a time (each one grouped query), so a
    background export can report progress between them. No scope check:
    callers go through `report_levels` or check the scope themselves."""
    for depth in report_depths(unit=unit):
        rows = level_rows(
            unit=unit, subject=subject, period=period, audience=audience, depth=depth
        )
        if depth == unit.depth:
            target = _targets(subject, [unit]).get(unit.pk)
            top_total = total_row(rows, code=unit.code, name=unit.name, target=target)
            yield (LEVEL_NAMES.get(depth, unit.get_level_display()), [top_total])
        else:
            yield (LEVEL_NAMES.get(depth, str(depth)), rows)


def report_levels(
    *, scope: AdminScope, unit: Unit, subject: Subject, period: Period, audience: str
) -> list[tuple[str, list[Row]]] | None:
    """For the export: the unit's total, then every level below it."""
    if not scope.contains(unit):
        return None
    return list(
        report_levels_iter(unit=unit, subject=subject, period=period, audience=audience)
    )


def learners_in_scope_count(
    *, scope: AdminScope, unit: Unit, subject: Subject, audience: str
) -> int | None:
    """How many learners an export of the unit covers (decides whether it is
    built in the background); one query."""
    if not scope.contains(unit):
        return None
    if maintained.is_ready():
        return maintained.in_scope_count(unit=unit, subject=subject, audience=audience)
    return report_sql.scope_count(unit=unit, subject=subject, audience=audience)


def completions_by_day(
    *, unit: Unit, subject: Subject, period: Period, audience: str
) -> list[tuple]:
    """(day, completions that day) of the subtree's learners in scope; from
    the per-day counters once they cover everyone, else from the raw rows
    (the same numbers: tests/hocvuso/reports/test_maintained_oracle.py)."""
    args = dict(unit=unit, subject=subject, period=period, audience=audience)
    if maintained.days_ready():
        return maintained.completions_by_day(**args)
    return report_sql.completions_by_day(**args)


@dataclass(frozen=True)
class LearnerRow:
    pk: int
    full_name: str
    phone: str
    unit_name: str
    status: str
    best_score: float | None
    last_activity: datetime | None
    phone_full: bool  # the viewer sees the whole number (the access log counts it)


STATUS_LABELS = {
    "not_started": "Chưa bắt đầu",
    "learning": "Đang học",
    "completed": "Đã hoàn thành",
}


def _as_datetime(value):
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _role_paths(viewer) -> list[str]:
    if viewer.is_superuser:
        return []
    return list(
        AdminRole.objects.filter(user=viewer).values_list("unit__path", flat=True)
    )


def _learner_row(raw: tuple, role_paths: list[str]) -> LearnerRow:
    pk, name, phone, unit_name, path, status, best, last = raw
    shown = phone_visible(
        phone=phone or "",
        learner_unit_path=path,
        admin_paths=role_paths,
        steplen=Unit.steplen,
    )
    return LearnerRow(
        pk=pk,
        full_name=name,
        phone=shown,
        phone_full=bool(phone) and shown == phone,
        unit_name=unit_name,
        status=status,
        best_score=best,
        last_activity=_as_datetime(last),
    )


def learner_list(
    *,
    scope: AdminScope,
    viewer,
    unit: Unit,
    subject: Subject,
    audience: str,
    status: str = "",
    search: str = "",
    direct: bool = False,
    period: Period = ALL_TIME,
    limit: int | None = None,
    offset: int = 0,
) -> list[LearnerRow] | None:
    """The learners in scope of the unit, phones masked unless the viewer
    administers the learner's own commune or village. Two queries."""
    if not scope.contains(unit):
        return None
    role_paths = _role_paths(viewer)
    rows = report_sql.learner_rows(
        unit=unit,
        subject=subject,
        audience=audience,
        status=status if status in STATUS_LABELS else "",
        search=search.strip(),
        phone_paths=phone_visible_prefixes(
            admin_paths=role_paths, steplen=Unit.steplen
        ),
        direct=direct,
        period=period,
        limit=limit,
        offset=offset,
    )
    return [_learner_row(raw, role_paths) for raw in rows]


def learner_list_iter(
    *,
    scope: AdminScope,
    viewer,
    unit: Unit,
    subject: Subject,
    audience: str,
    status: str = "",
    search: str = "",
    direct: bool = False,
    period: Period = ALL_TIME,
) -> tuple[int, Iterator[LearnerRow]] | None:
    """For a background export: how many rows, and the rows themselves read
    in batches, masked exactly as `learner_list` masks them."""
    if not scope.contains(unit):
        return None
    role_paths = _role_paths(viewer)
    status = status if status in STATUS_LABELS else ""
    filters = dict(
        unit=unit,
        subject=subject,
        audience=audience,
        status=status,
        search=search.strip(),
        phone_paths=phone_visible_prefixes(
            admin_paths=role_paths, steplen=Unit.steplen
        ),
        direct=direct,
        period=period,
    )
    count = report_sql.learner_count(**filters)
    rows = report_sql.learner_rows_iter(**filters)
    return count, (_learner_row(raw, role_paths) for raw in rows)


def export_jobs_recent(*, user, scope: AdminScope, limit: int = 10) -> list[ExportJob]:
    """The user's latest background exports of units still in their scope."""
    return list(
        ExportJob.objects.filter(scope.q("unit"), requested_by=user)
        .select_related("unit")
        .order_by("-created_at", "-pk")[:limit]
    )
