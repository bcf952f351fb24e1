"""The DESIGN §7 figures of one group of learners and the arithmetic on them
(percentages, averages, totals). Plain Python: no Django, tested on its own."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from hocvuso.core.collation import vietnamese_sort_key

BANDS = 10  # 0–9, 10–19, …, 90–100 (a score of 100 falls in the last band)


def score_band(score: float) -> int:
    return min(int(score // 10), BANDS - 1) if score >= 0 else 0


def percent(part: int, whole: int | None) -> float | None:
    """One decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


@dataclass
class Figures:
    in_scope: int = 0
    started: int = 0
    completed: int = 0
    tested: int = 0
    passed: int = 0
    scored: int = 0  # learners with a best score
    score_sum: float = 0.0
    bands: list[int] = field(default_factory=lambda: [0] * BANDS)

    @property
    def not_completed(self) -> int:
        return self.in_scope - self.completed

    @property
    def not_passed(self) -> int:
        return self.in_scope - self.passed

    @property
    def average_score(self) -> float | None:
        return round(self.score_sum / self.scored, 1) if self.scored else None

    def __add__(self, other: Figures) -> Figures:
        out = Figures()
        for f in fields(Figures):
            if f.name == "bands":
                out.bands = [
                    a + b for a, b in zip(self.bands, other.bands, strict=True)
                ]
            else:
                setattr(out, f.name, getattr(self, f.name) + getattr(other, f.name))
        return out


# (key, Vietnamese column header) of the counted columns, in report order.
COUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("started", "Tham gia học"),
    ("completed", "Hoàn thành khóa học"),
    ("not_completed", "Chưa hoàn thành"),
    ("tested", "Tham gia kiểm tra"),
    ("passed", "Hoàn thành bài kiểm tra (đạt)"),
    ("not_passed", "Chưa hoàn thành bài kiểm tra"),
)
# Who has not done something yet: a share of the target means nothing there.
WITHOUT_TARGET_PCT = frozenset({"not_completed", "not_passed"})


def count_columns(kind: str) -> tuple[tuple[str, str], ...]:
    """COUNT_COLUMNS with the completion column named for what is completed."""
    if kind != "programme":
        return COUNT_COLUMNS
    return tuple(
        (key, "Hoàn thành chương trình" if key == "completed" else label)
        for key, label in COUNT_COLUMNS
    )


@dataclass
class Row:
    """One line of a report: a unit (or the learners living directly in the
    parent unit) with its figures and its target, if any."""

    code: str
    name: str
    figures: Figures
    target: int | None = None
    drill: bool = False  # has children to drill into
    # The unit above the row's unit (the commune of a village), for sheets
    # that list units of several parents.
    parent_name: str = ""
    # For the learners registered on a unit but on none of its children:
    # that unit's code (their learner list).
    direct_of: str = ""

    def cells(self) -> list[dict]:
        """Each counted column with its % of learners in scope and of target."""
        f = self.figures
        return [
            {
                "key": key,
                "label": label,
                "count": getattr(f, key),
                "pct": percent(getattr(f, key), f.in_scope),
                "pct_target": None
                if key in WITHOUT_TARGET_PCT
                else percent(getattr(f, key), self.target),
            }
            for key, label in COUNT_COLUMNS
        ]

    def sort_value(self, key: str):
        if key == "name":
            return vietnamese_sort_key(self.name)
        if key == "in_scope":
            return self.figures.in_scope
        if key == "average":
            return self.figures.average_score or -1
        if key.endswith("_pct"):
            base = key.removesuffix("_pct")
            return percent(getattr(self.figures, base), self.figures.in_scope) or -1
        return getattr(self.figures, key)


SORT_KEYS = (
    {"name", "in_scope", "average"}
    | {k for k, _ in COUNT_COLUMNS}
    | {f"{k}_pct" for k, _ in COUNT_COLUMNS}
)


def rows_sorted(rows: list[Row], key: str, descending: bool = False) -> list[Row]:
    if key not in SORT_KEYS:
        key = "name"
    return sorted(rows, key=lambda r: r.sort_value(key), reverse=descending)


def total_row(rows: list[Row], *, code: str, name: str, target: int | None) -> Row:
    figures = Figures()
    for row in rows:
        figures = figures + row.figures
    return Row(code=code, name=name, figures=figures, target=target)
