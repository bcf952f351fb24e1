"""The server owns the clock."""

from datetime import datetime, timedelta


def deadline_for(
    *,
    started: datetime,
    time_limit: timedelta,
    extra: timedelta,
    closes_at: datetime | None,
) -> datetime:
    """deadline = min(started + time limit + extra time, quiz close)."""
    deadline = started + time_limit + extra
    return min(deadline, closes_at) if closes_at else deadline


def accepts_answers(*, deadline: datetime, grace: timedelta, now: datetime) -> bool:
    return now <= deadline + grace


def remaining_seconds(*, deadline: datetime, now: datetime) -> int:
    return max(0, int((deadline - now).total_seconds()))
