"""Report periods: a quarter ("2026-Q1", "Q1/2026", "1/2026") or two dates.
Plain Python; a period is half-open [start, end) in local dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(
    r"^\s*(?:(?P<y1>\d{4})\s*-?\s*[Qq](?P<q1>[1-4])|[Qq]?(?P<q2>[1-4])\s*/\s*(?P<y2>\d{4}))\s*$",
    re.ASCII,
)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: date | None = None  # inclusive
    end: date | None = None  # exclusive
    quarter: str = ""  # "2026-Q1" when the period is a quarter

    def __bool__(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def last_day(self) -> date | None:
        return self.end - timedelta(days=1) if self.end else None


ALL_TIME = Period()


def quarter_parse(text: str) -> Period:
    match = _QUARTER.match(text or "")
    if not match:
        raise PeriodError("Quý không hợp lệ; hãy viết dạng 2026-Q1 hoặc Q1/2026.")
    year = int(match["y1"] or match["y2"])
    q = int(match["q1"] or match["q2"])
    if year > 9998:  # its fourth quarter would end after the last date
        raise PeriodError("Quý không hợp lệ; hãy viết dạng 2026-Q1 hoặc Q1/2026.")
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return Period(start=start, end=end, quarter=f"{year}-Q{q}")


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_last_ended(day: date) -> str:
    """The latest quarter that ended before `day` (the one to freeze)."""
    first_of_quarter = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return quarter_of(first_of_quarter - timedelta(days=1))


def dates_period(start: date | None, last_day: date | None) -> Period:
    if start and last_day and last_day < start:
        raise PeriodError("Ngày kết thúc phải sau ngày bắt đầu.")
    return Period(start=start, end=last_day + timedelta(days=1) if last_day else None)
