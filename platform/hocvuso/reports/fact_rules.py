"""One learner's DESIGN §7 facts per subject and time bucket, from their raw
rows. Plain Python, no Django: the same definitions as the grouped SQL in
`report_sql.py` (the oracle the tests compare against), restricted to one
learner so that `maintained.py` can keep them as learning happens.

A bucket is 0 (all time) or a local quarter, `year * 4 + quarter - 1`:
a figure over a period counts a learner once if anything happened in it,
so it does not add up over smaller buckets (a learner active on two days is
one learner, not two). Every period the report's menu names directly (all
time, a quarter) is one bucket; any other date range is computed from the
raw rows (`maintained.bucket_of_period` says which)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from .figures import BANDS

ALL = 0


def quarter_bucket(year: int, quarter: int) -> int:
    return year * 4 + quarter - 1


@dataclass(frozen=True)
class SubjectDef:
    kind: str  # "course" | "programme"
    pk: int
    course_ids: frozenset[int]
    # The programmes whose assignment brings a learner into a course's scope.
    programme_ids: frozenset[int] = frozenset()

    @property
    def needed_passes(self) -> int:
        return 1 if self.kind == "course" else max(len(self.course_ids), 1)


@dataclass(frozen=True)
class AssignmentDef:
    course_id: int | None
    programme_id: int | None
    unit_path: str | None  # assigned to a unit (and its subtree)…
    team_id: int | None  # …or to a team

    def matches(self, subject: SubjectDef) -> bool:
        if subject.kind == "course":
            return (
                self.course_id in subject.course_ids
                or self.programme_id in subject.programme_ids
            )
        return self.programme_id == subject.pk


@dataclass(frozen=True)
class AttemptRow:
    course_id: int
    started_at: datetime
    finished: bool
    finished_at: datetime | None
    score: float | None
    passed: bool | None


@dataclass
class LearnerRows:
    """Everything of one learner the facts depend on."""

    unit_id: int | None
    unit_path: str
    learner_type: str
    enrolled: set[int] = field(default_factory=set)  # course ids
    teams: set[int] = field(default_factory=set)
    opened: list[tuple[int, datetime]] = field(default_factory=list)  # (course, at)
    attempts: list[AttemptRow] = field(default_factory=list)
    course_done: dict[int, datetime] = field(default_factory=dict)
    programme_done: dict[int, datetime] = field(default_factory=dict)
    had_facts: bool = True  # facts kept so far (False: nothing to take back)


@dataclass(frozen=True)
class Fact:
    unit_id: int
    learner_type: str
    started: bool
    tested: bool
    completed: bool
    passed: bool
    best: float | None
    # The local day of the completion, on the all-time row only: the
    # completions-per-day chart counts it once, in `UnitDay`.
    completed_on: date | None = None


def band_of(best: float | None) -> int | None:
    """The histogram band, exactly as the SQL's CASE sorts it."""
    if best is None or best < 0 or best >= 1000:
        return None
    return min(int(best // 10), BANDS - 1)


def in_scope(
    rows: LearnerRows, subject: SubjectDef, assignments: Iterable[AssignmentDef]
) -> bool:
    if rows.unit_id is None:
        return False
    if rows.enrolled & subject.course_ids:
        return True
    for a in assignments:
        if not a.matches(subject):
            continue
        if a.unit_path is not None and rows.unit_path.startswith(a.unit_path):
            return True
        if a.team_id is not None and a.team_id in rows.teams:
            return True
    return False


def learner_facts(
    rows: LearnerRows,
    subjects: Iterable[SubjectDef],
    assignments: list[AssignmentDef],
    bucket_of: Callable[[datetime], int],
    day_of: Callable[[datetime], date],
) -> dict[tuple[str, int, int], Fact]:
    """(kind, subject pk, bucket) → the learner's facts, for every subject
    whose scope they are in."""
    out: dict[tuple[str, int, int], Fact] = {}
    for subject in subjects:
        if not in_scope(rows, subject, assignments):
            continue
        ids = subject.course_ids
        opened = [bucket_of(at) for course, at in rows.opened if course in ids]
        started = [bucket_of(a.started_at) for a in rows.attempts if a.course_id in ids]
        finished = [
            (bucket_of(a.finished_at), a)
            for a in rows.attempts
            if a.course_id in ids and a.finished and a.finished_at is not None
        ]
        if subject.kind == "course":
            done_at = rows.course_done.get(subject.pk)
        else:
            done_at = rows.programme_done.get(subject.pk)
        done = bucket_of(done_at) if done_at is not None else None
        buckets = {ALL, *opened, *started, *(b for b, _a in finished)}
        if done is not None:
            buckets.add(done)
        for bucket in buckets:
            fact = _bucket_fact(
                rows,
                subject,
                bucket=bucket,
                opened=opened,
                started=started,
                finished=finished,
                done=done,
            )
            if bucket == ALL and done_at is not None:
                fact = replace(fact, completed_on=day_of(done_at))
            # A quarter in which nothing counted needs no row.
            if bucket == ALL or _counts(fact):
                out[(subject.kind, subject.pk, bucket)] = fact
    return out


def _in(bucket: int, at: int | None) -> bool:
    return at is not None and (bucket == ALL or at == bucket)


def _bucket_fact(rows, subject, *, bucket, opened, started, finished, done) -> Fact:
    best_per_course: dict[int, float | None] = {}
    passed_courses: set[int] = set()
    for at, a in finished:
        if not _in(bucket, at):
            continue
        previous = best_per_course.get(a.course_id)
        if a.score is not None and (previous is None or a.score > previous):
            best_per_course[a.course_id] = a.score
        else:
            best_per_course.setdefault(a.course_id, previous)
        if a.passed:
            passed_courses.add(a.course_id)
    scores = [s for s in best_per_course.values() if s is not None]
    has_finished = bool(best_per_course)
    return Fact(
        unit_id=rows.unit_id,
        learner_type=rows.learner_type,
        started=any(_in(bucket, b) for b in opened),
        tested=any(_in(bucket, b) for b in started),
        completed=_in(bucket, done),
        passed=has_finished and len(passed_courses) >= subject.needed_passes,
        best=sum(scores) / len(scores) if scores else None,
    )


def _counts(fact: Fact) -> bool:
    return (
        fact.started
        or fact.tested
        or fact.completed
        or fact.passed
        or fact.best is not None
    )
