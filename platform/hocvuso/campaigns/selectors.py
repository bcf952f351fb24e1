"""Reads for campaigns and the emulation board.

The board reads issue 23's maintained figures (`reports/maintained.py`,
`UnitFigure`): a few counter rows per unit whatever the number of learners,
never the learners' own rows, so it stays cheap on a national install; and
it is kept in the cache for `BOARD_SECONDS`, so a crowd refreshing it on a
campaign day costs one computation a minute."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import ProgrammePage
from hocvuso.orgunits.models import Unit, UnitLevel, UnitTarget
from hocvuso.orgunits.selectors import AdminScope
from hocvuso.reports import maintained
from hocvuso.reports.fact_rules import ALL
from hocvuso.reports.figures import Row, total_row
from hocvuso.reports.filters import CampaignChoice
from hocvuso.reports.models import UnitFigure
from hocvuso.reports.report_sql import Subject
from hocvuso.reports.selectors import subject_get

from .board import Entry, Standing, standing
from .models import Campaign

BOARD_SECONDS = 60
# On a day a campaign runs, the page asks for the board again this often.
LIVE_REFRESH_SECONDS = 60
_CODE = re.compile(r"[0-9A-Za-z-]{1,20}")  # what a unit code can be


# --- Campaigns ----------------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    step = Unit.steplen
    return [path[:n] for n in range(step, len(path) + 1, step)]


def campaigns_in_scope(*, scope: AdminScope) -> QuerySet[Campaign]:
    """Campaigns an admin manages: created on a unit of their subtree."""
    return Campaign.objects.filter(scope.q("owner_unit")).select_related("owner_unit")


def campaign_in_scope_get(*, scope: AdminScope, pk: int) -> Campaign | None:
    return campaigns_in_scope(scope=scope).filter(pk=pk).first()


def unit_takes_part(*, path: str, campaign_paths: list[str] | tuple[str, ...]) -> bool:
    """The one rule for "this unit is in the campaign": it is under a unit
    the campaign was given to (a province's campaign takes in its communes),
    or above one (a commune whose village holds the campaign's day)."""
    return any(path.startswith(p) or p.startswith(path) for p in campaign_paths)


def campaign_choices_for_scope(*, scope: AdminScope) -> list[CampaignChoice]:
    """The campaigns an admin's report can be restricted to (the latest 50),
    as the report's filter takes them. Two queries."""
    campaigns = (
        Campaign.objects.filter(Q(scope.q("owner_unit")) | Q(scope.q("units")))
        .distinct()
        .order_by("-starts_on", "-pk")
        .prefetch_related("units")[:50]
    )
    return [
        CampaignChoice(
            pk=c.pk,
            name=c.name,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            unit_paths=tuple(u.path for u in c.units.all()),
        )
        for c in campaigns
    ]


def report_rows_in_campaign(
    *, rows: list[Row], campaign: CampaignChoice, unit: Unit
) -> tuple[list[Row], Row]:
    """The report's rows of the units taking part, and their total."""
    codes = [r.code or r.direct_of for r in rows]
    paths = dict(Unit.objects.filter(code__in=codes).values_list("code", "path"))
    kept = []
    for r in rows:
        path = paths.get(r.code or r.direct_of)
        if path is None:
            continue
        if r.direct_of:
            # Residents registered on the unit itself, on none of its
            # children: in the campaign only if the unit itself is.
            if any(path.startswith(p) for p in campaign.unit_paths):
                kept.append(r)
        elif unit_takes_part(path=path, campaign_paths=campaign.unit_paths):
            kept.append(r)
    targets = [r.target for r in kept if r.target is not None]
    total = total_row(
        kept,
        code=unit.code,
        name=_("Tổng cộng"),
        target=sum(targets) if targets else None,
    )
    return kept, total


def report_levels_in_campaign(
    *, levels: list[tuple[str, list[Row]]], campaign: CampaignChoice, unit: Unit
) -> list[tuple[str, list[Row]]]:
    """The export's levels with the units taking part only; the first level
    (the unit's total) becomes the total of the second."""
    if len(levels) < 2:
        return levels
    out = []
    for name, rows in levels[1:]:
        kept, _total = report_rows_in_campaign(rows=rows, campaign=campaign, unit=unit)
        out.append((name, kept))
    first_name, _first_rows = levels[0]
    _kept, total = report_rows_in_campaign(
        rows=levels[1][1], campaign=campaign, unit=unit
    )
    total.name = unit.name
    return [(first_name, [total]), *out]


def campaign_unit_paths(*, campaign: Campaign) -> list[str]:
    return list(campaign.units.values_list("path", flat=True))


def campaigns_for_learner(*, user, today: date) -> list[Campaign]:
    """The campaigns running today that take in the signed-in learner (given
    to their unit or to one of its ancestors): the home page's, one query."""
    if not user.is_authenticated or user.unit_id is None:
        return []
    under = Unit.objects.filter(
        pk=user.unit_id, path__startswith=OuterRef("units__path")
    )
    return list(
        Campaign.objects.filter(Exists(under), starts_on__lte=today, ends_on__gte=today)
        .distinct()
        .order_by("ends_on", "pk")[:3]
    )


def _touching(area: Unit | None) -> Q:
    """Campaigns with a unit in the area, or given to one of its ancestors."""
    if area is None:
        return Q()
    return Q(units__path__startswith=area.path) | Q(
        units__path__in=_prefixes(area.path)
    )


def campaigns_running_in_area(*, area: Unit | None, today: date) -> list[Campaign]:
    return list(
        Campaign.objects.filter(
            _touching(area), starts_on__lte=today, ends_on__gte=today
        )
        .distinct()
        .order_by("ends_on", "pk")
    )


def campaign_for_board_get(*, area: Unit | None, pk: int) -> Campaign | None:
    """A campaign the area's board may be restricted to: one touching it
    (another province's campaign is not found here)."""
    return Campaign.objects.filter(_touching(area), pk=pk).distinct().first()


# --- The board ----------------------------------------------------------------


def board_area_get(*, code: str | None, site_province: str = "") -> Unit | None | bool:
    """The unit whose children the board ranks: a province (its communes).
    Without a code: the site's province (`site_province`, a code), the only
    province, or None on a national install (the provinces are ranked).
    False: no such province, or another province than the site's."""
    provinces = Unit.objects.filter(level=UnitLevel.PROVINCE)
    if code is not None and not _CODE.fullmatch(code):
        return False  # not a unit code at all (NUL bytes, 300 characters…)
    if site_province:
        if code not in (None, site_province):
            return False  # a province's site shows no other province
        return provinces.filter(code=site_province).first() or False
    if code is None:
        first_two = list(provinces.order_by("path")[:2])
        return first_two[0] if len(first_two) == 1 else None
    return provinces.filter(code=code).first() or False


def board_subject_get(*, campaign: Campaign | None) -> Subject | None:
    """The programme ranked: the campaign's, else the one with the most
    targets set (the plan's programme), else the first published."""
    if campaign is not None and campaign.programme_id:
        return subject_get(kind="programme", pk=campaign.programme_id)
    programme = (
        ProgrammePage.objects.live()
        .annotate(n=Count("unit_targets"))
        .order_by("-n", "title", "pk")
        .only("pk")
        .first()
    )
    return subject_get(kind="programme", pk=programme.pk) if programme else None


@dataclass(frozen=True)
class _Whole:
    """Stands for the root of the tree (every province) where a unit's
    path is expected: the empty path is a prefix of every path."""

    path: str = ""
    depth: int = 0


@dataclass
class Board:
    area: Unit | None
    subject: Subject | None
    campaign: Campaign | None
    standing: Standing = field(default_factory=Standing)
    learners: int = 0
    completed: int = 0
    certificates: int = 0
    target: int = 0
    ready: bool = True  # the maintained figures cover every learner
    generated_at: datetime = field(default_factory=timezone.now)


def board_entries(
    *, area: Unit | None, subject: Subject, campaign_paths: list[str] | None
) -> list[Entry]:
    """One entry per unit ranked (the area's children, or every province),
    from the maintained figures: four queries whatever the learners."""
    root = area or _Whole()
    depth = root.depth + 1
    group_len = depth * Unit.steplen
    units = list(
        Unit.objects.filter(path__startswith=root.path, depth=depth).only(
            "code", "name", "path"
        )
    )
    if campaign_paths is not None:
        units = [
            u
            for u in units
            if unit_takes_part(path=u.path, campaign_paths=campaign_paths)
        ]
    figures = maintained.grouped_figures(
        unit=root, subject=subject, bucket=ALL, audience="", group_len=group_len
    )
    certificates = dict(
        UnitFigure.objects.filter(bucket=ALL, unit__path__startswith=root.path)
        .annotate(grp=Substr("unit__path", 1, group_len))
        .values("grp")
        .annotate(n=Sum("completed"))
        .values_list("grp", "n")
    )
    targets = dict(
        UnitTarget.objects.filter(
            programme_id=subject.pk, unit__in=[u.pk for u in units]
        ).values_list("unit_id", "learners")
    )
    out = []
    for u in units:
        f = figures.get(u.path)
        out.append(
            Entry(
                code=u.code,
                name=u.name,
                learners=f.in_scope if f else 0,
                completed=f.completed if f else 0,
                certificates=int(certificates.get(u.path) or 0),
                target=targets.get(u.pk),
            )
        )
    return out


def board_get(*, area: Unit | None, campaign: Campaign | None) -> Board:
    key = f"campaigns:board:{getattr(area, 'code', '')}:{getattr(campaign, 'pk', '')}"
    board = cache.get(key)
    if board is None:
        board = _board_compute(area=area, campaign=campaign)
        cache.set(key, board, BOARD_SECONDS)
    return board


def _board_compute(*, area: Unit | None, campaign: Campaign | None) -> Board:
    subject = board_subject_get(campaign=campaign)
    board = Board(area=area, subject=subject, campaign=campaign)
    if subject is None:
        return board
    if not maintained.is_ready():
        # Until `reports_backfill` has run the counters are partial: better
        # no ranking than a wrong one.
        board.ready = False
        return board
    paths = campaign_unit_paths(campaign=campaign) if campaign else None
    entries = board_entries(area=area, subject=subject, campaign_paths=paths)
    board.standing = standing(entries)
    board.learners = sum(e.learners for e in entries)
    board.completed = sum(e.completed for e in entries)
    board.certificates = sum(e.certificates for e in entries)
    board.target = sum(e.target or 0 for e in entries)
    return board
