"""The SQL behind the reports. One statement computes every DESIGN §7 figure
for all learners in scope, grouped by the unit at a given depth through the
materialised-path prefix, so the number of queries never depends on the
number of learners. Written for both PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from courses.models import (
    CourseCompletion,
    Enrolment,
    LessonProgress,
    ProgrammeCompletion,
)
from hocvuso.accounts.models import User
from hocvuso.accounts.phone import phone_search_digits
from hocvuso.core.collation import lower_sql, vietnamese_order_sql
from hocvuso.core.text import search_folded
from hocvuso.orgunits.models import Assignment, TeamMembership, Unit
from hocvuso.privacy.models import DataRequest, RequestKind, RequestStatus
from quizzes.models import Attempt

from .figures import BANDS, Figures
from .periods import ALL_TIME, Period


@dataclass(frozen=True)
class Subject:
    """What the report is about: one course, or a programme of courses."""

    kind: str  # "course" | "programme"
    pk: int
    title: str
    course_ids: tuple[int, ...]
    # Programmes whose assignment brings a learner into a course's scope.
    programme_ids: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(ids) -> tuple[str, list]:
    ids = list(ids) or [-1]
    return "(" + ", ".join(["%s"] * len(ids)) + ")", ids


def _dt(day) -> object:
    aware = timezone.make_aware(datetime.combine(day, time.min))
    return connection.ops.adapt_datetimefield_value(aware)


def _period_sql(column: str, period: Period) -> tuple[str, list]:
    sql, params = "", []
    if period.start:
        sql += f" AND {column} >= %s"
        params.append(_dt(period.start))
    if period.end:
        sql += f" AND {column} < %s"
        params.append(_dt(period.end))
    return sql, params


def scope_cte(
    *, unit: Unit, subject: Subject, audience: str, group_len: int
) -> tuple[str, list]:
    """`su(uid, grp)`: the learners in scope (DESIGN §7) living in the unit's
    subtree, assigned the subject (through an assignment to one of their
    units' ancestors or to one of their teams) or enrolled in one of its
    courses, with the path prefix that names their group."""
    courses_in, course_params = _in(subject.course_ids)
    if subject.kind == "course":
        progs_in, prog_params = _in(subject.programme_ids)
        match = f"(a.course_id IN {courses_in} OR a.programme_id IN {progs_in})"
        match_params = course_params + prog_params
    else:
        match, match_params = "a.programme_id = %s", [subject.pk]
    audience_sql, audience_params = "", []
    if audience:
        audience_sql, audience_params = " AND u.learner_type = %s", [audience]
    sql = f"""
    su AS (
      SELECT u.id AS uid, substr(un.path, 1, %s) AS grp
      FROM {_t(User)} u JOIN {_t(Unit)} un ON un.id = u.unit_id
      WHERE un.path LIKE %s{audience_sql}
        AND (
          EXISTS (SELECT 1 FROM {_t(Enrolment)} e
                  WHERE e.user_id = u.id AND e.course_id IN {courses_in})
          OR EXISTS (SELECT 1 FROM {_t(Assignment)} a
                     JOIN {_t(Unit)} au ON au.id = a.unit_id
                     WHERE {match} AND un.path LIKE au.path || '%%')
          OR EXISTS (SELECT 1 FROM {_t(Assignment)} a
                     JOIN {_t(TeamMembership)} tm ON tm.team_id = a.team_id
                     WHERE tm.user_id = u.id AND {match})
        )
    )"""
    params = (
        [group_len, unit.path + "%"]
        + audience_params
        + course_params
        + match_params
        + match_params
    )
    return sql, params


def grouped_figures(
    *, unit: Unit, subject: Subject, period: Period, audience: str, group_len: int
) -> dict[str, Figures]:
    """Path prefix of length `group_len` → the figures of its learners."""
    cte, params = scope_cte(
        unit=unit, subject=subject, audience=audience, group_len=group_len
    )
    courses_in, course_params = _in(subject.course_ids)
    att, lp = _t(Attempt), _t(LessonProgress)
    fin_sql, fin_params = _period_sql("a.finished_at", period)
    open_sql, open_params = _period_sql("lp.opened_at", period)
    start_sql, start_params = _period_sql("a.started_at", period)
    comp_sql, comp_params = _period_sql("c.completed_at", period)
    if subject.kind == "course":
        completion = (
            f"SELECT 1 FROM {_t(CourseCompletion)} c WHERE c.user_id = su.uid"
            f" AND c.course_id = %s{comp_sql}"
        )
        needed_passes = 1
    else:
        completion = (
            f"SELECT 1 FROM {_t(ProgrammeCompletion)} c WHERE c.user_id = su.uid"
            f" AND c.programme_id = %s{comp_sql}"
        )
        needed_passes = max(len(subject.course_ids), 1)
    bands = ", ".join(
        f"SUM(CASE WHEN best >= {10 * b} AND best < {10 * b + 10 if b < BANDS - 1 else 1000}"
        " THEN 1 ELSE 0 END)"
        for b in range(BANDS)
    )
    sql = f"""
    WITH {cte},
    fin_pc AS (
      SELECT a.user_id, a.course_id, MAX(a.score_percent) AS m,
             MAX(CASE WHEN a.passed = %s THEN 1 ELSE 0 END) AS p
      FROM {att} a JOIN su ON su.uid = a.user_id
      WHERE a.status = 'finished' AND a.course_id IN {courses_in}{fin_sql}
      GROUP BY a.user_id, a.course_id
    ),
    fin AS (
      SELECT user_id, AVG(m) AS b, SUM(p) AS n FROM fin_pc GROUP BY user_id
    ),
    pu AS (
      SELECT su.grp,
        CASE WHEN EXISTS (SELECT 1 FROM {lp} lp WHERE lp.user_id = su.uid
                          AND lp.course_id IN {courses_in}{open_sql})
             THEN 1 ELSE 0 END AS started,
        CASE WHEN EXISTS ({completion}) THEN 1 ELSE 0 END AS completed,
        CASE WHEN EXISTS (SELECT 1 FROM {att} a WHERE a.user_id = su.uid
                          AND a.course_id IN {courses_in}{start_sql})
             THEN 1 ELSE 0 END AS tested,
        CASE WHEN f.n >= %s THEN 1 ELSE 0 END AS passed,
        f.b AS best
      FROM su
      LEFT JOIN fin f ON f.user_id = su.uid
    )
    SELECT grp, COUNT(*), SUM(started), SUM(completed), SUM(tested), SUM(passed),
           COUNT(best), COALESCE(SUM(best), 0), {bands}
    FROM pu GROUP BY grp
    """
    params = (
        params
        + [True]
        + course_params
        + fin_params
        + course_params
        + open_params
        + [subject.pk]
        + comp_params
        + course_params
        + start_params
        + [needed_passes]
    )
    out: dict[str, Figures] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            grp, n, started, completed, tested, passed, scored, total = row[:8]
            out[grp] = Figures(
                in_scope=n,
                started=int(started or 0),
                completed=int(completed or 0),
                tested=int(tested or 0),
                passed=int(passed or 0),
                scored=scored,
                score_sum=float(total or 0),
                bands=[int(x or 0) for x in row[8:]],
            )
    return out


def _learner_sql(
    *,
    unit: Unit,
    subject: Subject,
    audience: str,
    status: str,
    search: str,
    phone_paths: Sequence[str],
    direct: bool = False,
    period: Period = ALL_TIME,
) -> tuple[str, list]:
    """The learner list's SELECT (unordered) and its parameters. `search`
    matches names, and phone numbers only under `phone_paths`: where the
    viewer sees them in full, or a masked number could be guessed digit by
    digit."""
    cte, params = scope_cte(unit=unit, subject=subject, audience=audience, group_len=1)
    courses_in, course_params = _in(subject.course_ids)
    att = _t(Attempt)
    comp_sql, comp_params = _period_sql("c.completed_at", period)
    open_sql, open_params = _period_sql("lp.opened_at", period)
    start_sql, start_params = _period_sql("a.started_at", period)
    fin_sql, fin_params = _period_sql("a.finished_at", period)
    if subject.kind == "course":
        completion = (
            f"SELECT 1 FROM {_t(CourseCompletion)} c"
            f" WHERE c.user_id = u.id AND c.course_id = %s{comp_sql}"
        )
    else:
        completion = (
            f"SELECT 1 FROM {_t(ProgrammeCompletion)} c"
            f" WHERE c.user_id = u.id AND c.programme_id = %s{comp_sql}"
        )
    # The status and the best score follow the period, as the table's
    # figures do; the best score is the table's: per course the best finished
    # attempt, averaged over a programme's courses. Completion itself is the
    # stored record (courses/completion.py's rule); a learner who only took
    # the test is learning, not "not started".
    sql = f"""
    WITH {cte},
    fin_pc AS (
      SELECT a.user_id, a.course_id, MAX(a.score_percent) AS m
      FROM {att} a JOIN su ON su.uid = a.user_id
      WHERE a.status = 'finished' AND a.course_id IN {courses_in}{fin_sql}
      GROUP BY a.user_id, a.course_id
    ),
    fin AS (SELECT user_id, AVG(m) AS b FROM fin_pc GROUP BY user_id),
    lst AS (
      SELECT u.id, u.full_name, u.phone, un.name AS unit_name, un.path,
        CASE WHEN EXISTS ({completion}) THEN 'completed'
             WHEN EXISTS (SELECT 1 FROM {_t(LessonProgress)} lp
                          WHERE lp.user_id = u.id AND lp.course_id IN {courses_in}
                          {open_sql})
               OR EXISTS (SELECT 1 FROM {att} a WHERE a.user_id = u.id
                          AND a.course_id IN {courses_in}{start_sql})
             THEN 'learning' ELSE 'not_started' END AS status,
        f.b AS best,
        (SELECT MAX(e.last_activity_at) FROM {_t(Enrolment)} e WHERE e.user_id = u.id
           AND e.course_id IN {courses_in}) AS last_activity
      FROM su JOIN {_t(User)} u ON u.id = su.uid
      JOIN {_t(Unit)} un ON un.id = u.unit_id
      LEFT JOIN fin f ON f.user_id = u.id
      WHERE NOT EXISTS (SELECT 1 FROM {_t(DataRequest)} dr WHERE dr.user_id = u.id
                        AND dr.kind = %s AND dr.status = %s)
    )
    SELECT * FROM lst WHERE 1 = 1"""
    # A deleted person (hocvuso.privacy) still counts in the unit's figures
    # but is nobody in a list.
    params = (
        params
        + course_params
        + fin_params
        + [subject.pk]
        + comp_params
        + course_params
        + open_params
        + course_params
        + start_params
        + course_params
        + [RequestKind.ERASE.value, RequestStatus.DONE.value]
    )
    if status:
        sql += " AND status = %s"
        params.append(status)
    if direct:
        sql += " AND path = %s"
        params.append(unit.path)
    if search:
        match = f"{lower_sql('full_name', connection)} LIKE %s"
        params.append(f"%{search_folded(search)}%")
        digits = phone_search_digits(search)
        if phone_paths and digits:
            under = " OR ".join(["path LIKE %s"] * len(phone_paths))
            match += f" OR (phone LIKE %s AND ({under}))"
            params += [f"%{digits}%", *(f"{p}%" for p in phone_paths)]
        sql += f" AND ({match})"
    return sql, params


def learner_rows(
    *,
    unit: Unit,
    subject: Subject,
    audience: str,
    status: str = "",
    search: str = "",
    phone_paths: Sequence[str] = (),
    direct: bool = False,
    period: Period = ALL_TIME,
    limit: int | None = None,
    offset: int = 0,
) -> list[tuple]:
    """(id, full_name, phone, unit name, unit path, status, best, last activity)
    for the learners in scope, ordered by name; one query."""
    sql, params = _learner_sql(
        unit=unit,
        subject=subject,
        audience=audience,
        status=status,
        search=search,
        phone_paths=phone_paths,
        direct=direct,
        period=period,
    )
    sql += f" ORDER BY {vietnamese_order_sql('full_name', connection)}, id"
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def learner_rows_iter(
    *,
    unit: Unit,
    subject: Subject,
    audience: str,
    status: str = "",
    search: str = "",
    phone_paths: Sequence[str] = (),
    direct: bool = False,
    period: Period = ALL_TIME,
    batch: int = 2000,
) -> Iterator[tuple]:
    """The same rows as `learner_rows`, fetched `batch` at a time. On
    PostgreSQL `chunked_cursor` is a server-side cursor, so an export of
    100,000 learners never holds them all in the worker's memory."""
    sql, params = _learner_sql(
        unit=unit,
        subject=subject,
        audience=audience,
        status=status,
        search=search,
        phone_paths=phone_paths,
        direct=direct,
        period=period,
    )
    sql += f" ORDER BY {vietnamese_order_sql('full_name', connection)}, id"
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(batch):
            yield from chunk


def learner_count(
    *,
    unit: Unit,
    subject: Subject,
    audience: str,
    status: str = "",
    search: str = "",
    phone_paths: Sequence[str] = (),
    direct: bool = False,
    period: Period = ALL_TIME,
) -> int:
    """How many rows `learner_rows` would return; one query."""
    sql, params = _learner_sql(
        unit=unit,
        subject=subject,
        audience=audience,
        status=status,
        search=search,
        phone_paths=phone_paths,
        direct=direct,
        period=period,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) n", params)
        return cursor.fetchone()[0]


def scope_count(*, unit: Unit, subject: Subject, audience: str) -> int:
    """The learners in scope (DESIGN §7) of the unit's subtree; one query."""
    cte, params = scope_cte(unit=unit, subject=subject, audience=audience, group_len=1)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {cte} SELECT COUNT(*) FROM su", params)
        return cursor.fetchone()[0]


def completions_by_day(
    *, unit: Unit, subject: Subject, period: Period, audience: str
) -> list[tuple[date, int]]:
    """(local day, completions that day) of the subtree's learners in the
    subject's scope: the learners the report's "completed" column counts.
    One query; the oracle of `maintained.completions_by_day`."""
    cte, params = scope_cte(unit=unit, subject=subject, audience=audience, group_len=1)
    if subject.kind == "course":
        completions = CourseCompletion.objects.filter(course_id=subject.pk)
    else:
        completions = ProgrammeCompletion.objects.filter(programme_id=subject.pk)
    completions = completions.filter(
        user_id__in=RawSQL(f"WITH {cte} SELECT uid FROM su", params)
    )
    # `__date` and TruncDate count in the active zone: the site's.
    with timezone.override(timezone.get_default_timezone()):
        if period.start:
            completions = completions.filter(completed_at__date__gte=period.start)
        if period.end:
            completions = completions.filter(completed_at__date__lt=period.end)
        return list(
            completions.annotate(day=TruncDate("completed_at"))
            .values("day")
            .annotate(n=Count("id"))
            .order_by("day")
            .values_list("day", "n")
        )
