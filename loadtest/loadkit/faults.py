"""What a fault did to a run (loadtest/faults): errors while it lasted, time
to recover, and the results table. Pure functions of Locust's timeline
(end time, endpoint class, success) and of what PostgreSQL holds."""

from dataclasses import dataclass, fields

Event = tuple[float, str, bool]  # (epoch seconds, endpoint class, ok)

# The requests a learner's exam depends on; a static file or a websocket
# reconnect coming back is not the exam coming back.
EXAM_CLASSES = frozenset({"autosave", "submit", "start", "page"})


def errors_between(timeline: list[Event], start: float, end: float) -> int:
    return sum(1 for t, _kind, ok in timeline if start <= t <= end and not ok)


def recovery_seconds(
    timeline: list[Event], fault_end: float, classes: frozenset[str] = EXAM_CLASSES
) -> float | None:
    """Seconds from the end of the fault to the first exam request that
    succeeded after it; None when none did."""
    after = [t for t, kind, ok in timeline if ok and kind in classes and t >= fault_end]
    return round(min(after) - fault_end, 1) if after else None


def finished_early(
    finished_at: list[float], deadline: float, slack: float = 2.0
) -> int:
    """Attempts finished before the common deadline: no taker submits
    earlier (a timer may wake half a second early), so each is an attempt
    the fault closed that the learner had not handed in."""
    return sum(1 for t in finished_at if t < deadline - slack)


@dataclass(frozen=True)
class FaultRow:
    fault: str
    requests: int
    errors_total: int
    errors_during: int
    recovery_s: float | None
    answers_checked: int
    answers_lost: int
    submits_checked: int
    submits_lost: int
    finished_early: int
    unfinished_overdue: int
    duplicate_certificates: int
    note: str = ""

    @property
    def lost(self) -> int:
        return self.answers_lost + self.submits_lost + self.duplicate_certificates


HEADERS = {
    "fault": "fault",
    "requests": "requests",
    "errors_total": "errors (run)",
    "errors_during": "errors (fault → recovered)",
    "recovery_s": "recovery s",
    "answers_checked": "acked answers",
    "answers_lost": "lost answers",
    "submits_checked": "acked submits",
    "submits_lost": "lost submits",
    "finished_early": "wrongly finished",
    "unfinished_overdue": "left open past deadline",
    "duplicate_certificates": "duplicate certificates",
    "note": "notes",
}


def table_markdown(rows: list[FaultRow]) -> str:
    names = [f.name for f in fields(FaultRow)]
    lines = [
        "| " + " | ".join(HEADERS[n] for n in names) + " |",
        "|" + "---|" * len(names),
    ]
    for row in rows:
        cells = []
        for n in names:
            value = getattr(row, n)
            cells.append("—" if value is None else str(value).replace("|", "/"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
