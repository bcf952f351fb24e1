"""The emulation board's ranking rule ("Bảng thi đua"), the one place it is
defined. Plain Python, no Django: the board page states this rule, and the
tests compare the page with it.

- The rate is completions ÷ target, compared exactly (fractions, never a
  rounded percentage), so two units are tied only when their rates are equal.
- A unit without a target (none set, or 0) is listed apart, unranked: a rate
  needs something to divide by, and ranking it by raw counts would favour
  the large.
- A unit whose target is below `MIN_TARGET` people is listed apart too: with
  a target of 3, one person more or less moves it by a third, which says
  little about the unit's work.
- Ties share a rank and the next rank skips ("competition ranking": 1, 1, 3);
  tied units are listed in Vietnamese alphabetical order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from hocvuso.core.collation import vietnamese_sort_key

MIN_TARGET = 20


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    learners: int  # in the programme's scope
    completed: int  # completed the programme
    certificates: int  # courses and programmes completed (one certificate each)
    target: int | None

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.completed, self.target) if self.target else None

    @property
    def percent(self) -> float | None:
        """For display only (one decimal); the ranking uses `rate`."""
        rate = self.rate
        return None if rate is None else round(float(rate * 100), 1)


@dataclass(frozen=True)
class Placed:
    rank: int
    entry: Entry


@dataclass
class Standing:
    ranked: list[Placed] = field(default_factory=list)
    small: list[Entry] = field(default_factory=list)  # target below MIN_TARGET
    no_target: list[Entry] = field(default_factory=list)


def _by_name(entry: Entry) -> tuple:
    return (vietnamese_sort_key(entry.name), entry.code)


def standing(entries: Iterable[Entry], *, min_target: int = MIN_TARGET) -> Standing:
    out = Standing()
    rankable = []
    for entry in entries:
        if not entry.target:
            out.no_target.append(entry)
        elif entry.target < min_target:
            out.small.append(entry)
        else:
            rankable.append(entry)
    rankable.sort(key=lambda e: (-e.rate, *_by_name(e)))
    previous, rank = None, 0
    for position, entry in enumerate(rankable, start=1):
        if entry.rate != previous:
            rank, previous = position, entry.rate
        out.ranked.append(Placed(rank=rank, entry=entry))
    out.small.sort(key=lambda e: (-e.rate, *_by_name(e)))
    out.no_target.sort(key=_by_name)
    return out
