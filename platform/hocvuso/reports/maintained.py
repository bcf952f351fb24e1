"""The report's figures kept up to date as learning happens (issue 23), so
that a report reads a few thousand counter rows instead of every learner.

Two tables:

- `LearnerFact`: per learner, subject (course or programme) and bucket (all
  time, or a quarter), what DESIGN §7 counts: in scope (the row exists),
  took part, took a test, passed, completed, best score; with the learner's
  unit and type. Computed by `fact_rules.learner_facts` from the learner's
  raw rows, the same definitions as `report_sql.py` (kept as the oracle).
- `UnitFigure`: the sums of those facts per unit, learner type, subject,
  bucket and shard. A report sums the rows under its unit's path: a province
  of 500 units has at most 500 × 3 types × 16 shards rows per subject and
  bucket, whatever the number of learners.
- `UnitDay`: completions per unit's subtree, learner type, subject, local
  day and shard, from the all-time facts' completion day, each completion
  added to the learner's unit and to every unit above it: the report's
  chart of completions per day reads one unit's rows, days × types, not
  every completion (nor every unit) under it.

Every service that changes a learner's rows calls `learners_refresh` (or
`lesson_opened`, its cheap first check) inside its own transaction (courses
and quizzes through the settings that `courses/learner_events.py` reads,
as they import nothing of the platform): lesson
opened or done, enrolment, attempt started or finished, completions, the
learner's unit or type changed, team membership, assignment, erasure. The
refresh locks the learners' rows, recomputes their facts, and writes only
the difference: the facts that changed and one upsert adding the change to
the counters. Exact at commit; no outbox, no "figures as of" delay.

Hot rows. At an exam deadline thousands of learners of one commune submit
within seconds (8,000 in a minute is 130 a second, several hundred a second
in the last seconds). A submit's transaction holds the counter rows it
upserted until it commits, a few milliseconds; with one row per unit and
subject, every submit of the unit would queue behind the previous one, and
at 500 a second × ~5 ms the row is busy more than all the time: the queue
grows until the burst ends. The counters are split into SHARDS rows by
learner id, so concurrent submits of one unit touch the same row with
probability 1/16 (and rarely at all across a commune's villages and the
three learner types); the reader sums 16 rows per unit instead of one,
an index range. The alternative, an insert-only outbox folded by a beat
task, has no contention at all but makes the figures late (or the reader
sum the unfolded rows too); sharding keeps them exact at commit. Rows are
upserted in key order and learners locked in id order, so two transactions
never wait on each other in opposite orders (no deadlock).

Periods. A count of learners over a period does not add up over smaller
periods (a learner active in two months is one learner), so each bucket is
a period the report offers by name: all time and each quarter (the menu,
the snapshots). A free date range that is not exactly a quarter is computed
from the raw rows as before (`bucket_of_period` returns None).

A bulk change of scope (a course assigned to a whole province, a course
added to a programme in the CMS, a learner deleted) goes through
`refresh_jobs.py`: refreshed in the same transaction when it reaches few
learners, else by a durable background job whose progress the report page
shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from courses.models import (
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonProgress,
    ProgrammeCompletion,
    ProgrammeCourse,
    ProgrammePage,
)
from courses.page_cache import cached
from hocvuso.accounts.models import User
from hocvuso.orgunits.models import Assignment, TeamMembership, Unit
from quizzes.models import Attempt

from .fact_rules import (
    ALL,
    AssignmentDef,
    AttemptRow,
    Fact,
    LearnerRows,
    SubjectDef,
    band_of,
    learner_facts,
    quarter_bucket,
)
from .figures import BANDS, Figures
from .models import LearnerFact, MaintainedState, UnitDay, UnitFigure
from .periods import Period
from .report_sql import Subject

SHARDS = 16
BATCH = 1000

# UnitFigure's counters, in the order of `_contribution`.
COUNTERS = (
    "in_scope",
    "started",
    "completed",
    "tested",
    "passed",
    "scored",
    "score_sum",
    *(f"band{b}" for b in range(BANDS)),
)
KEY = ("kind", "subject_id", "bucket", "unit_id", "learner_type", "shard")
DAY_KEY = ("kind", "subject_id", "unit_id", "learner_type", "day", "shard")
FACT_FIELDS = tuple(f.name for f in fields(Fact))


def bucket_of(at: datetime) -> int:
    # The site's zone, whoever's request triggers the refresh: a quarter is
    # Vietnam's quarter (and the default zone is looked up once, not per call).
    local = at.astimezone(timezone.get_default_timezone())
    return quarter_bucket(local.year, (local.month - 1) // 3 + 1)


def day_of(at: datetime) -> date:
    return at.astimezone(timezone.get_default_timezone()).date()


def bucket_of_period(period: Period) -> int | None:
    """The bucket holding exactly this period's figures, or None."""
    if not period:
        return ALL
    start, end = period.start, period.end
    if start is None or end is None or start.day != 1 or (start.month - 1) % 3:
        return None
    after = (
        date(start.year + 1, 1, 1)
        if start.month == 10
        else date(start.year, start.month + 3, 1)
    )
    if end != after:
        return None
    return quarter_bucket(start.year, (start.month - 1) // 3 + 1)


def is_ready() -> bool:
    """Whether every learner is covered (after migration or backfill)."""
    return MaintainedState.objects.filter(ready_at__isnull=False).exists()


def days_ready() -> bool:
    """The same for the completions per day (`UnitDay`)."""
    return MaintainedState.objects.filter(
        ready_at__isnull=False, days_ready_at__isnull=False
    ).exists()


def ready_set(*, ready: bool) -> None:
    state = MaintainedState.objects.first() or MaintainedState()
    state.ready_at = state.days_ready_at = timezone.now() if ready else None
    state.save()


# --- Keeping the figures --------------------------------------------------------


def subjects_all() -> list[SubjectDef]:
    """Every course and every programme, as the facts need them; kept under
    the page-tree generation (an editor's publish changes them)."""
    return cached("reports:subjects", subjects_read)


def subjects_read() -> list[SubjectDef]:
    """The same, read now: inside the transaction of a CMS publish the page
    tree's cache may still hold the list from before it."""
    courses_of: dict[int, set[int]] = defaultdict(set)
    programmes_of: dict[int, set[int]] = defaultdict(set)
    for programme_id, course_id in ProgrammeCourse.objects.values_list(
        "programme_id", "course_id"
    ):
        courses_of[programme_id].add(course_id)
        programmes_of[course_id].add(programme_id)
    out = [
        SubjectDef("course", pk, frozenset({pk}), frozenset(programmes_of[pk]))
        for pk in CoursePage.objects.values_list("pk", flat=True)
    ]
    out += [
        SubjectDef("programme", pk, frozenset(courses_of[pk]))
        for pk in ProgrammePage.objects.values_list("pk", flat=True)
    ]
    return out


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _moment(value) -> datetime | None:
    """A timestamp from a raw cursor: SQLite gives text, or a naive datetime
    in UTC where the column's declared type is known."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(value)
    return parsed.replace(tzinfo=UTC) if timezone.is_naive(parsed) else parsed


def _rows_load(ids: list[int]) -> tuple[dict[int, LearnerRows], list[AssignmentDef]]:
    """The learners' raw rows and the assignments that can reach them, in
    two statements: their own rows locked first (a second refresh of the
    same learner waits for this one to commit), then one UNION ALL."""
    who = "(" + ", ".join(["%s"] * len(ids)) + ")"
    # Written out: every start, submit and lesson done runs it, and the ORM's
    # compiling of it cost more than the database's answer.
    lock = " FOR UPDATE OF u" if connection.features.has_select_for_update_of else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT u.id, u.unit_id, u.learner_type, un.path,
                   EXISTS (SELECT 1 FROM {_t(LearnerFact)} f WHERE f.user_id = u.id)
              FROM {_t(User)} u LEFT JOIN {_t(Unit)} un ON un.id = u.unit_id
             WHERE u.id IN {who} ORDER BY u.id{lock}
            """,
            ids,
        )
        rows = {
            pk: LearnerRows(
                unit_id=unit_id,
                unit_path=path or "",
                learner_type=kind,
                had_facts=bool(had),
            )
            for pk, unit_id, kind, path, had in cursor.fetchall()
        }
    if all(r.unit_id is None for r in rows.values()):
        return rows, []  # in no unit, in no scope: nothing else counts
    step = Unit.steplen
    prefixes = {
        r.unit_path[:n]
        for r in rows.values()
        for n in range(step, len(r.unit_path) + 1, step)
    }
    paths = "(" + ", ".join(["%s"] * len(prefixes)) + ")" if prefixes else "(NULL)"
    # tag, user, ids (course / team / programme), two moments, score, passed,
    # text (attempt status, assigned unit's path).
    # The attempts first: their columns give every column its type.
    sql = f"""
    SELECT 'a', user_id, course_id, CAST(NULL AS INTEGER), started_at, finished_at,
        score_percent, passed, status
      FROM {_t(Attempt)} WHERE user_id IN {who}
    UNION ALL SELECT 'e', user_id, course_id, NULL, NULL, NULL, NULL, NULL, NULL
      FROM {_t(Enrolment)} WHERE user_id IN {who}
    UNION ALL SELECT 'm', user_id, team_id, NULL, NULL, NULL, NULL, NULL, NULL
      FROM {_t(TeamMembership)} WHERE user_id IN {who}
    UNION ALL SELECT 'o', user_id, course_id, NULL, opened_at, NULL, NULL, NULL, NULL
      FROM {_t(LessonProgress)} WHERE user_id IN {who}
    UNION ALL SELECT 'c', user_id, course_id, NULL, completed_at, NULL, NULL, NULL, NULL
      FROM {_t(CourseCompletion)} WHERE user_id IN {who}
    UNION ALL SELECT 'p', user_id, programme_id, NULL, completed_at, NULL, NULL, NULL,
        NULL
      FROM {_t(ProgrammeCompletion)} WHERE user_id IN {who}
    UNION ALL SELECT 'g', a.team_id, a.course_id, a.programme_id, NULL, NULL, NULL,
        NULL, un.path
      FROM {_t(Assignment)} a LEFT JOIN {_t(Unit)} un ON un.id = a.unit_id
      WHERE un.path IN {paths} OR a.team_id IN (
        SELECT team_id FROM {_t(TeamMembership)} WHERE user_id IN {who})
    """
    params = ids * 6 + sorted(prefixes) + ids
    assignments = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for tag, uid, i1, i2, t1, t2, score, passed, text in cursor.fetchall():
            if tag == "g":
                assignments.append(
                    AssignmentDef(
                        course_id=i1, programme_id=i2, unit_path=text, team_id=uid
                    )
                )
                continue
            learner = rows[uid]
            if tag == "e":
                learner.enrolled.add(i1)
            elif tag == "m":
                learner.teams.add(i1)
            elif tag == "o":
                learner.opened.append((i1, _moment(t1)))
            elif tag == "a":
                learner.attempts.append(
                    AttemptRow(
                        course_id=i1,
                        started_at=_moment(t1),
                        finished=text == "finished",
                        finished_at=_moment(t2),
                        score=score,
                        passed=None if passed is None else bool(passed),
                    )
                )
            elif tag == "c":
                learner.course_done[i1] = _moment(t1)
            else:
                learner.programme_done[i1] = _moment(t1)
    return rows, assignments


def _contribution(fact: Fact, bucket: int) -> list[float]:
    out = [
        1 if bucket == ALL else 0,
        int(fact.started),
        int(fact.completed),
        int(fact.tested),
        int(fact.passed),
        int(fact.best is not None),
        fact.best or 0.0,
    ] + [0] * BANDS
    band = band_of(fact.best)
    if band is not None:
        out[7 + band] += 1
    return out


def learners_refresh(
    *, user_ids: Iterable[int], subjects: list[SubjectDef] | None = None
) -> None:
    """Recompute these learners' facts and add the change to the counters
    (`subjects`: every course and programme, when the caller read them)."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    # Inside the event's transaction no savepoint (two more round trips): a
    # failure here rolls the event back with it.
    with transaction.atomic(savepoint=False):
        rows, assignments = _rows_load(ids)
        subjects = subjects_all() if subjects is None else subjects
        new: dict[tuple, Fact] = {}
        for uid, learner in rows.items():
            for (kind, pk, bucket), fact in learner_facts(
                learner, subjects, assignments, bucket_of, day_of
            ).items():
                new[(uid, kind, pk, bucket)] = fact
        if not new and not any(r.had_facts for r in rows.values()):
            return  # counted nowhere, before or now
        _facts_write(_facts_read(ids), new)


def learners_forget(*, user_ids: Iterable[int]) -> None:
    """Take learners about to be deleted out of the counters (their facts
    would go with them, their counts would stay): called before the delete,
    in its transaction."""
    ids = sorted(set(user_ids))
    if ids:
        with transaction.atomic(savepoint=False):
            _facts_write(_facts_read(ids), {})


def _facts_read(ids: list[int]) -> dict[tuple, tuple[int, Fact]]:
    old: dict[tuple, tuple[int, Fact]] = {}
    for row_pk, uid, kind, pk, bucket, *rest in LearnerFact.objects.filter(
        user_id__in=ids
    ).values_list(
        "pk",
        "user_id",
        "kind",
        "subject_id",
        "bucket",
        "unit_id",
        "learner_type",
        "started",
        "tested",
        "completed",
        "passed",
        "best",
        "completed_on",
    ):
        old[(uid, kind, pk, bucket)] = (row_pk, Fact(*rest))
    return old


def _facts_write(old: dict[tuple, tuple[int, Fact]], new: dict[tuple, Fact]) -> None:
    deltas: dict[tuple, list[float]] = {}
    days: dict[tuple, int] = defaultdict(int)

    def add(key: tuple, fact: Fact, sign: int) -> None:
        uid, kind, pk, bucket = key
        counter = (kind, pk, bucket, fact.unit_id, fact.learner_type, uid % SHARDS)
        total = deltas.setdefault(counter, [0] * len(COUNTERS))
        for i, value in enumerate(_contribution(fact, bucket)):
            total[i] += sign * value
        if fact.completed_on is not None:
            day = (kind, pk, fact.unit_id, fact.learner_type, fact.completed_on)
            days[(*day, uid % SHARDS)] += sign

    gone, kept = [], []
    for key in old.keys() | new.keys():
        before, after = old.get(key), new.get(key)
        if before is not None and before[1] == after:
            continue
        if before is not None:
            add(key, before[1], -1)
            if after is None:
                gone.append(before[0])
        if after is not None:
            kept.append((*key, *(getattr(after, f) for f in FACT_FIELDS)))
            add(key, after, 1)
    if gone:
        LearnerFact.objects.filter(pk__in=gone).delete()
    _upsert(
        LearnerFact,
        key=("user_id", "kind", "subject_id", "bucket"),
        columns=FACT_FIELDS,
        rows=sorted(kept),
        set_sql="{c} = EXCLUDED.{c}",
    )
    _counters_add(deltas)
    _upsert(
        UnitDay,
        key=DAY_KEY,
        columns=("completed",),
        rows=_days_up_the_tree(days),
        set_sql="{c} = {t}.{c} + EXCLUDED.{c}",
    )


def _days_up_the_tree(days: dict[tuple, int]) -> list[tuple]:
    """Each change of a learner's unit's day added to that unit and to every
    unit above it (two queries, and only when a completion day changed)."""
    days = {k: n for k, n in days.items() if n}
    if not days:
        return []
    paths = dict(
        Unit.objects.filter(pk__in={k[2] for k in days}).values_list("pk", "path")
    )
    step = Unit.steplen
    prefixes = {p[:n] for p in paths.values() for n in range(step, len(p) + 1, step)}
    ancestor = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "pk"))
    out: dict[tuple, int] = defaultdict(int)
    for (kind, pk, unit_id, learner_type, day, shard), n in days.items():
        path = paths[unit_id]
        for end in range(step, len(path) + 1, step):
            out[(kind, pk, ancestor[path[:end]], learner_type, day, shard)] += n
    return sorted((*k, n) for k, n in out.items() if n)


def _upsert(model, *, key, columns, rows, set_sql) -> None:
    """INSERT … ON CONFLICT (key) DO UPDATE of many rows in one statement.

    PostgreSQL: one array a column, unnested, so a statement has as many
    parameters as columns. Spelling every value as its own parameter made
    the driver parse a statement of 30,000 placeholders again for every
    chunk: 95% of a backfill's time, ~75 learners/s at a million."""
    if not rows:
        return
    table = _t(model)
    names = key + columns
    update = ", ".join(set_sql.format(c=c, t=table) for c in columns)
    conflict = f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {update}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [model._meta.get_field(n).db_type(connection) for n in names]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) SELECT * FROM unnest("
                + ", ".join(f"%s::{t}[]" for t in types)
                + ")"
                + conflict,
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        per = max(1, 900 // len(rows[0]))  # SQLite's parameters a statement
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                + ", ".join([one] * len(chunk))
                + conflict,
                [value for row in chunk for value in row],
            )


def _counters_add(deltas: dict[tuple, list[float]]) -> None:
    """Add the changes to the counters, in key order (no deadlock)."""
    _upsert(
        UnitFigure,
        key=KEY,
        columns=COUNTERS,
        rows=sorted((*k, *v) for k, v in deltas.items() if any(v)),
        set_sql="{c} = {t}.{c} + EXCLUDED.{c}",
    )


def lesson_opened(*, user_id: int, course_id: int, at: datetime) -> None:
    """A lesson opened for the first time: a refresh only when the learner
    had not yet taken part in the course (or one of its programmes) in this
    quarter, so reading the next lessons costs one statement: the learner's
    facts for the course and its programmes, and their unit. Written out,
    not built by the ORM: it runs on every first opening of a lesson (issue
    17)."""
    bucket = bucket_of(at)
    started: dict[tuple, dict[int, bool]] = defaultdict(dict)
    in_unit = False
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, subject_id, bucket, started FROM {_t(LearnerFact)}"
            " WHERE user_id = %s AND bucket IN (%s, %s) AND ("
            "(kind = 'course' AND subject_id = %s) OR (kind = 'programme'"
            f" AND subject_id IN (SELECT programme_id FROM {_t(ProgrammeCourse)}"
            " WHERE course_id = %s)))"
            f" UNION ALL SELECT 'unit', unit_id, NULL, NULL FROM {_t(User)}"
            " WHERE id = %s AND unit_id IS NOT NULL",
            [user_id, ALL, bucket, course_id, course_id, user_id],
        )
        for kind, pk, row_bucket, done in cursor.fetchall():
            if kind == "unit":
                in_unit = True
            else:
                started[(kind, pk)][row_bucket] = bool(done)
    if not started and not in_unit:
        # Counted nowhere and in no unit, so in no scope (fact_rules.in_scope):
        # nothing to refresh, and no lock on their row. Read without a lock: a
        # place step committing meanwhile refreshes them itself, and their
        # next lesson or test refreshes what it could not see yet.
        return
    # Every subject the learner is in scope of (it has an all-time row)
    # already counts them as taking part, all time and this quarter.
    if ("course", course_id) in started and all(
        buckets.get(ALL) and buckets.get(bucket) for buckets in started.values()
    ):
        return
    learners_refresh(user_ids=[user_id])


# --- Reading them ----------------------------------------------------------------


def grouped_figures(
    *, unit: Unit, subject: Subject, bucket: int, audience: str, group_len: int
) -> dict[str, Figures]:
    """Path prefix of length `group_len` → figures, as
    `report_sql.grouped_figures` computes them for the bucket's period."""
    table = connection.ops.quote_name(UnitFigure._meta.db_table)
    units = connection.ops.quote_name(Unit._meta.db_table)
    sums = ", ".join(f"SUM(f.{c})" for c in COUNTERS)
    audience_sql = " AND f.learner_type = %s" if audience else ""
    sql = f"""
    SELECT substr(un.path, 1, %s) AS grp, f.bucket, {sums}
    FROM {table} f JOIN {units} un ON un.id = f.unit_id
    WHERE f.kind = %s AND f.subject_id = %s AND f.bucket IN (%s, %s)
      AND un.path LIKE %s{audience_sql}
    GROUP BY substr(un.path, 1, %s), f.bucket
    """
    params = [group_len, subject.kind, subject.pk, ALL, bucket, unit.path + "%"]
    params += ([audience] if audience else []) + [group_len]
    in_scope: dict[str, int] = {}
    out: dict[str, Figures] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for grp, row_bucket, n, *rest in cursor.fetchall():
            if row_bucket == ALL:
                in_scope[grp] = int(n or 0)
            if row_bucket != bucket:
                continue
            started, completed, tested, passed, scored, total = rest[:6]
            out[grp] = Figures(
                started=int(started or 0),
                completed=int(completed or 0),
                tested=int(tested or 0),
                passed=int(passed or 0),
                scored=int(scored or 0),
                score_sum=float(total or 0),
                bands=[int(x or 0) for x in rest[6:]],
            )
    for grp, n in in_scope.items():
        if n:
            out.setdefault(grp, Figures()).in_scope = n
    return {grp: f for grp, f in out.items() if f.in_scope}


def completions_by_day(
    *, unit: Unit, subject: Subject, period: Period, audience: str
) -> list[tuple[date, int]]:
    """(local day, completions) of the subtree's learners in the subject's
    scope, as `report_sql.completions_by_day` counts them: one query over
    the unit's own per-day counters (its subtree's, `_days_up_the_tree`)."""
    table = connection.ops.quote_name(UnitDay._meta.db_table)
    where, params = "", [subject.kind, subject.pk, unit.pk]
    if audience:
        where += " AND f.learner_type = %s"
        params.append(audience)
    if period.start:
        where += " AND f.day >= %s"
        params.append(period.start)
    if period.end:
        where += " AND f.day < %s"
        params.append(period.end)
    sql = f"""
    SELECT f.day, SUM(f.completed) FROM {table} f
    WHERE f.kind = %s AND f.subject_id = %s AND f.unit_id = %s{where}
    GROUP BY f.day HAVING SUM(f.completed) <> 0 ORDER BY f.day
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (day if isinstance(day, date) else date.fromisoformat(day), int(n))
            for day, n in cursor.fetchall()
        ]


def in_scope_count(*, unit: Unit, subject: Subject, audience: str) -> int:
    figures = grouped_figures(
        unit=unit,
        subject=subject,
        bucket=ALL,
        audience=audience,
        group_len=len(unit.path),
    )
    return sum(f.in_scope for f in figures.values())


# --- Backfill and check ------------------------------------------------------------


def backfill(
    *,
    batch: int = BATCH,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Refresh every learner, `batch` at a time (each its own transaction,
    so learning goes on meanwhile), then mark the figures ready. Idempotent:
    a learner already right writes nothing. `rebuild` empties both tables
    first (after rows were deleted behind the services' back)."""
    if rebuild:
        ready_set(ready=False)
        with transaction.atomic():
            UnitDay.objects.all().delete()
            UnitFigure.objects.all().delete()
            LearnerFact.objects.all().delete()
    ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        learners_refresh(user_ids=ids[start : start + batch])
        if progress is not None:
            progress(min(start + batch, len(ids)), len(ids))
    ready_set(ready=True)
    return len(ids)


def statistics_refresh() -> None:
    """PostgreSQL's statistics of the three tables, after a backfill has
    rewritten them: until autovacuum gets round to it (a while, on a busy
    machine) the planner reads them as they were before, e.g. empty, and
    the first reports pick plans for a few rows (measured at 100,000
    learners: province page 0.65 s with the stale statistics, 0.16 s after)."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(_t(m) for m in (LearnerFact, UnitFigure, UnitDay))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def counters_compact(*, batch_units: int = 200) -> int:
    """Fold every unit's shards into shard 0 (PostgreSQL; every quarter hour, Celery
    beat), in both counter tables: the shards spread the writes of one busy
    day, and folding them afterwards keeps a national roll-up at ~1/SHARDS
    of the rows. Units are folded `batch_units` at a time, each batch one
    statement in a short transaction of its own; a learner's
    refresh touches only its own shard, so it never holds shard 0 while
    waiting for another shard (no deadlock), and one that waits on a folded
    row inserts it anew. Returns how many rows were folded away."""
    if connection.vendor != "postgresql":
        return 0
    return _shards_fold(UnitFigure, KEY, COUNTERS, batch_units) + _shards_fold(
        UnitDay, DAY_KEY, ("completed",), batch_units
    )


def _shards_fold(model, key: tuple, counters: tuple, batch_units: int) -> int:
    table = _t(model)
    sums = ", ".join(f"SUM({c})" for c in counters)
    update = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in counters)
    units = list(
        model.objects.filter(shard__gt=0)
        .order_by("unit_id")
        .values_list("unit_id", flat=True)
        .distinct()
    )
    group = ", ".join(c for c in key if c != "shard")
    columns = ", ".join(key + counters)
    select = ", ".join("0" if c == "shard" else c for c in key)
    folded = 0
    for start in range(0, len(units), batch_units):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH gone AS (
                  DELETE FROM {table} WHERE shard > 0 AND unit_id = ANY(%s)
                  RETURNING {columns}
                ), kept AS (
                  INSERT INTO {table} ({columns})
                  SELECT {select}, {sums} FROM gone
                  GROUP BY {group} ORDER BY {group}
                  ON CONFLICT ({", ".join(key)}) DO UPDATE SET {update}
                )
                SELECT COUNT(*) FROM gone
                """,
                [units[start : start + batch_units]],
            )
            folded += cursor.fetchone()[0]
    return folded
