"""Benchmark: the completion report of one province with 100,000 learners and
the seven courses (issue 7). Target: page under 2 s, XLSX export under 30 s.

Generates, in a PostgreSQL database of its own (DATABASE_URL; its name must
contain "bench" because the script drops and re-creates it):

- Tỉnh Quảng Ngãi's 96 communes from the bundled official list, 5 villages in
  each, one team per commune;
- the demo content: the seven courses (5 lessons and a final test each) and
  the two programmes; the 7-course programme assigned to the province, the
  4-course programme to every commune team, course 1 to ten communes;
- N learners spread unevenly over the villages (5% registered directly on a
  commune), 15% of them team members in their commune's team; a mix of
  not started / learning / completed with enrolments, opened and finished
  lessons, finished (and some open) test attempts with scores, course and
  programme completions, all dated in 2026.

Learners and their activity are written with COPY, so 100,000 learners take
minutes. With --reuse an existing, complete database is measured again
without generating anything.

Then, in a fresh process (so that its peak resident memory is the
measurement's, not the generator's), it measures `--repeat` times each:

- the report page of the province as its administrator (Django test client,
  the whole view: filters, the grouped query, charts, template), for the
  7-course programme over all time and over one quarter, and for course 1;
- the drill-down page of the commune with the most learners;
- the XLSX export of the province as the view builds it
  (`selectors.report_levels`, then `exports.report_xlsx`), and the CSV
  (`selectors.completion_report_rows`, then `exports.report_csv`);
- the peak memory of each export: growth of the process's peak resident set
  (ru_maxrss) over the first export, and the Python peak under tracemalloc
  (a separate, slower run whose time is not reported).

It writes loadtest/results/reports-100k.md (or reports-<N>.md).

Usage (from the repository root):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/hocvuso_rbench \\
    .venv/bin/python loadtest/reports_benchmark.py [--learners 100000] \\
    [--repeat 5] [--reuse]
"""

import argparse
import csv
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.test")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from hocvuso.accounts.models import LearnerType, User  # noqa: E402
from hocvuso.accounts.services import consent_give  # noqa: E402
from hocvuso.core.demo import demo_privacy_notice_seed, demo_site_seed  # noqa: E402
from hocvuso.orgunits.models import (  # noqa: E402
    AdminRole,
    AdminRoleKind,
    Assignment,
    TeamMembership,
    Unit,
    UnitLevel,
)
from hocvuso.orgunits.selectors import admin_scope_get  # noqa: E402
from hocvuso.orgunits.services import team_create, village_create  # noqa: E402
from hocvuso.reports import exports, maintained, report_sql  # noqa: E402
from hocvuso.reports.fact_rules import ALL, quarter_bucket  # noqa: E402
from hocvuso.reports.filters import Filters  # noqa: E402
from hocvuso.reports.models import UnitDay, UnitFigure  # noqa: E402
from hocvuso.reports.periods import Period  # noqa: E402
from hocvuso.reports.selectors import (  # noqa: E402
    completion_report_rows,
    report_levels,
    subject_get,
)

from courses.demo import course_definitions_load, demo_catalog_seed  # noqa: E402
from courses.models import (  # noqa: E402
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ProgrammeCompletion,
    ProgrammePage,
)
from quizzes.demo import demo_quizzes_seed  # noqa: E402
from quizzes.models import Attempt, QuizPage  # noqa: E402

PROVINCE = "51"
VILLAGES_PER_COMMUNE = 5
ADMIN = "bench_quantritinh"
PASSWORD = "Hocvuso@2025"
TEAM_PROGRAMME = "to-cong-nghe-so-cong-dong"  # the seven courses
CITIZEN_PROGRAMME = "nguoi-dan"
YEAR = datetime(2026, 1, 1, tzinfo=UTC)
# Shares of learners by how far they got in the 7-course programme.
NOT_STARTED, LEARNING = 0.25, 0.45  # the remaining 30% completed all seven


# --- the database --------------------------------------------------------


def _admin_connection(dbname: str = "postgres"):
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=dbname,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
    )


def database_check() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("DATABASE_URL must point at PostgreSQL")
    if "bench" not in db["NAME"]:
        sys.exit(f"refusing to drop {db['NAME']!r}: its name must contain 'bench'")
    return db["NAME"]


def database_recreate(name: str) -> None:
    connection.close()
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_complete(name: str, learners: int) -> bool:
    """Straight through psycopg: Django must not hold a connection to a
    database that may be dropped next."""
    with _admin_connection() as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if not found:
        return False
    with _admin_connection(name) as conn:
        try:
            admin, n = conn.execute(
                "SELECT COUNT(*) FILTER (WHERE username = %s),"
                " COUNT(*) FILTER (WHERE username LIKE 'hv%%')"
                f" FROM {User._meta.db_table}",
                [ADMIN],
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return False
    return admin == 1 and n == learners


# --- COPY ------------------------------------------------------------------


def _text(value) -> str:
    """A value as PostgreSQL's CSV COPY reads it (NULL is \\N)."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return f"{value.total_seconds()} seconds"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


class CopyTable:
    """Rows of one model spooled to a temporary CSV file, then one COPY.
    Columns not given take the model field's default, as the ORM would."""

    def __init__(self, model, columns: list[str]):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_attname = {f.attname: f for f in fields}
        self.columns = [by_attname[c].column for c in columns]
        now = timezone.now()
        self.fixed = []
        for f in fields:
            if f.attname in columns:
                continue
            auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            self.fixed.append(_text(now if auto else f.get_default()))
            self.columns.append(f.column)
        # Closed by copy(): the file lives while the generator fills it.
        self.file = tempfile.TemporaryFile("w+", newline="", encoding="utf-8")  # noqa: SIM115
        self.writer = csv.writer(self.file)
        self.count = 0

    def add(self, *values) -> None:
        self.writer.writerow([_text(v) for v in values] + self.fixed)
        self.count += 1

    def copy(self) -> int:
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        self.file.seek(0)
        with connection.cursor() as cursor:
            sql = f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            with cursor.cursor.copy(sql) as copy:
                while chunk := self.file.read(1 << 20):
                    copy.write(chunk)
        self.file.close()
        return self.count


# --- generation ------------------------------------------------------------


def _units() -> tuple[Unit, list[Unit], list[Unit]]:
    call_command("import_units", province=[PROVINCE], verbosity=0)
    province = Unit.objects.get(code=PROVINCE)
    communes = list(
        Unit.objects.filter(path__startswith=province.path, level=UnitLevel.COMMUNE)
    )
    villages = []
    for commune in communes:
        for v in range(1, VILLAGES_PER_COMMUNE + 1):
            villages.append(
                village_create(commune=commune, name=f"Thôn {v}", kind="thôn")
            )
            commune.refresh_from_db()
    return province, communes, villages


def _content():
    home = demo_site_seed()
    demo_privacy_notice_seed()
    demo_catalog_seed(home=home, courses=course_definitions_load())
    demo_quizzes_seed()
    courses = list(CoursePage.objects.order_by("topic_number"))
    lessons = {
        c.pk: list(LessonPage.objects.child_of(c).order_by("path")) for c in courses
    }
    quizzes = {c.pk: QuizPage.objects.child_of(c).get() for c in courses}
    return courses, lessons, quizzes


def _when(rng, start: datetime, days: float) -> datetime:
    return start + timedelta(seconds=rng.randrange(1, max(int(days * 86400), 2)))


def _course_activity(rng, *, state, user_id, course, lessons, quiz, start, t):
    """One learner's rows in one course; returns the completion time or None."""
    enrolled = _when(rng, start, 20)
    at = enrolled
    opened = len(lessons) if state != "opened" else rng.randint(1, len(lessons) - 1)
    last_lesson = None
    for n, lesson in enumerate(lessons[:opened]):
        at = _when(rng, at, 2)
        done = state != "opened" or n < opened - 1
        t["progress"].add(user_id, lesson.pk, course.pk, at, at if done else None)
        last_lesson = lesson.pk
    completed = None
    if state in ("tested", "completed"):
        tries = rng.choice([1, 1, 1, 2]) if state == "completed" else rng.randint(1, 2)
        for n in range(tries):
            started = _when(rng, at, 3)
            last = n == tries - 1
            if state == "tested" and last and rng.random() < 0.1:
                # A test left open: counts as "took part in the test".
                t["attempts"].add(
                    user_id, quiz.pk, course.pk, started,
                    started + timedelta(minutes=15), "open",
                    None, "", None, None, None, None,
                )  # fmt: skip
                at = started
                break
            if state == "completed" and last:
                score = rng.uniform(quiz.pass_mark, 100)
            else:
                score = rng.uniform(10, quiz.pass_mark - 0.5)
            finished = started + timedelta(minutes=rng.randint(4, 15))
            points = round(score / 10, 1)
            t["attempts"].add(
                user_id, quiz.pk, course.pk, started,
                started + timedelta(minutes=15), "finished", finished, "submitted",
                points, 10.0, points * 10, score >= quiz.pass_mark,
            )  # fmt: skip
            at = finished
        if state == "completed":
            completed = at
            t["completions"].add(user_id, course.pk, at, round(score, 1))
    t["enrolments"].add(user_id, course.pk, enrolled, last_lesson, at)
    return completed


def _learners(rng, n: int, villages, communes) -> list[tuple[int, Unit, str]]:
    """COPY n learners; (id, home unit, learner type) for each, in creation order."""
    weights = [rng.lognormvariate(0, 0.6) for _ in villages]
    homes = rng.choices(villages, weights=weights, k=n)
    for i in rng.sample(range(n), n // 20):  # registered on the commune only
        homes[i] = communes[rng.randrange(len(communes))]
    password = User(username="x")
    password.set_password(PASSWORD)
    table = CopyTable(
        User,
        ["username", "password", "full_name", "phone", "phone_verified", "unit_id",
         "learner_type", "date_joined", "is_active"],
    )  # fmt: skip
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi"]
    given = ["An", "Bình", "Cường", "Dung", "Hà", "Khánh", "Lan", "Minh", "Nga", "Tâm"]
    for i, home in enumerate(homes):
        team = rng.random() < 0.15
        table.add(
            f"hv{i:06d}", password.password,
            f"{family[i % 9]} {'Văn' if i % 2 else 'Thị'} {given[i % 10]} {i:06d}",
            f"+8497{i:07d}", True, home.pk,
            LearnerType.TEAM_MEMBER if team else LearnerType.CITIZEN,
            _when(rng, YEAR, 300), True,
        )  # fmt: skip
    table.copy()
    ids = list(
        User.objects.filter(username__startswith="hv")
        .order_by("username")
        .values_list("id", "learner_type")
    )
    return [(uid, home, kind) for (uid, kind), home in zip(ids, homes, strict=True)]


def generate(*, learners: int, seed: int) -> None:
    rng = random.Random(seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"  migrated ({time.perf_counter() - started:.0f} s)", flush=True)
    province, communes, villages = _units()
    teams = {c.pk: team_create(unit=c, name=f"Tổ CNSCĐ {c.name}") for c in communes}
    courses, lessons, quizzes = _content()
    print(f"  units and content ({time.perf_counter() - started:.0f} s)", flush=True)
    team_programme = ProgrammePage.objects.get(slug=TEAM_PROGRAMME)
    citizen_programme = ProgrammePage.objects.get(slug=CITIZEN_PROGRAMME)
    admin = User.objects.create_user(
        username=ADMIN, password=PASSWORD, full_name="Quản trị tỉnh (đo tải)"
    )
    consent_give(user=admin, notice=demo_privacy_notice_seed())
    AdminRole.objects.create(
        user=admin, role=AdminRoleKind.PROVINCE_ADMIN, unit=province
    )
    span = {"starts_on": date(2026, 1, 1), "due_on": date(2026, 12, 31)}
    Assignment.objects.create(programme=team_programme, unit=province, **span)
    for team in teams.values():
        Assignment.objects.create(programme=citizen_programme, team=team, **span)
    for commune in communes[:10]:
        Assignment.objects.create(course=courses[0], unit=commune, **span)

    people = _learners(rng, learners, villages, communes)
    print(f"  {learners} learners ({time.perf_counter() - started:.0f} s)", flush=True)
    commune_of = {u.path: u for u in communes}
    t = {
        "memberships": CopyTable(TeamMembership, ["team_id", "user_id", "role"]),
        "enrolments": CopyTable(
            Enrolment,
            [
                "user_id",
                "course_id",
                "enrolled_at",
                "last_lesson_id",
                "last_activity_at",
            ],
        ),  # fmt: skip
        "progress": CopyTable(
            LessonProgress,
            ["user_id", "lesson_id", "course_id", "opened_at", "completed_at"],
        ),
        "attempts": CopyTable(
            Attempt,
            [
                "user_id",
                "quiz_id",
                "course_id",
                "started_at",
                "deadline",
                "status",
                "finished_at",
                "finish_reason",
                "points",
                "max_points",
                "score_percent",
                "passed",
            ],
        ),  # fmt: skip
        "completions": CopyTable(
            CourseCompletion, ["user_id", "course_id", "completed_at", "score_percent"]
        ),
        "programme_completions": CopyTable(
            ProgrammeCompletion, ["user_id", "programme_id", "completed_at"]
        ),
    }
    citizen_ids = set(
        citizen_programme.programme_courses.values_list("course_id", flat=True)
    )
    steplen = Unit.steplen
    for uid, home, kind in people:
        if kind == LearnerType.TEAM_MEMBER:
            commune = commune_of[home.path[: 2 * steplen]]
            t["memberships"].add(teams[commune.pk].pk, uid, "member")
        start = _when(rng, YEAR, 270)
        r = rng.random()
        if r < NOT_STARTED:
            plan = {} if rng.random() < 0.6 else {rng.choice(courses).pk: "enrolled"}
        elif r < NOT_STARTED + LEARNING:
            chosen = rng.sample(courses, rng.randint(1, len(courses)))
            states = ["opened", "opened", "tested", "completed"]
            plan = {c.pk: rng.choice(states) for c in chosen}
            if all(s == "completed" for s in plan.values()) and len(plan) == 7:
                plan[chosen[0].pk] = "tested"
        else:
            plan = {c.pk: "completed" for c in courses}
        done = {}
        for course in courses:
            state = plan.get(course.pk)
            if state == "enrolled":
                at = _when(rng, start, 20)
                t["enrolments"].add(uid, course.pk, at, None, at)
            elif state:
                done[course.pk] = _course_activity(
                    rng, state=state, user_id=uid, course=course,
                    lessons=lessons[course.pk], quiz=quizzes[course.pk],
                    start=start, t=t,
                )  # fmt: skip
        finished = {pk: at for pk, at in done.items() if at}
        if len(finished) == len(courses):
            t["programme_completions"].add(
                uid, team_programme.pk, max(finished.values())
            )
        if citizen_ids <= finished.keys():
            t["programme_completions"].add(
                uid, citizen_programme.pk, max(finished[c] for c in citizen_ids)
            )
    print(f"  activity generated ({time.perf_counter() - started:.0f} s)", flush=True)
    for name, table in t.items():
        rows = table.copy()
        print(
            f"  COPY {name}: {rows} ({time.perf_counter() - started:.0f} s)", flush=True
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Written behind the services' back, like an installation before the
    # upgrade: the report reads the raw rows until the backfill has run.
    maintained.ready_set(ready=False)
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)


# --- measurement -----------------------------------------------------------


# --- maintained figures (issue 23) -----------------------------------------

NATIONAL_PROVINCES = 34
NATIONAL_COMMUNES = 98  # 3,332 communes, about the country's count since 2025
NATIONAL_VILLAGES = 10
NATIONAL_LEARNERS_PER_VILLAGE = 900  # about 30 million learners


def backfill(*, rebuild: bool = False) -> float | None:
    """`manage.py reports_backfill` over the generated learners (written with
    COPY, behind the services' back), from empty tables with `rebuild`;
    seconds, or None if already done."""
    if maintained.is_ready() and not rebuild:
        return None
    began = time.perf_counter()
    last = [began]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30 or done == total:
            last[0] = time.perf_counter()
            print(
                f"  backfill {done:,}/{total:,} ({last[0] - began:.0f} s)", flush=True
            )

    maintained.backfill(batch=2000, rebuild=rebuild, progress=progress)
    maintained.counters_compact()  # as `reports_backfill` ends
    maintained.statistics_refresh()
    return time.perf_counter() - began


def _national_code(p: int, c: int | None = None, v: int | None = None) -> str:
    return "QG" + "-".join(str(x) for x in (p, c, v) if x is not None)


def national_generate(*, seed: int, programme_pk: int) -> None:
    """34 provinces × 98 communes × 10 villages as their own roots, and the
    maintained counters of the 7-course programme for them (all time and
    2026-Q3) as 30 million learners spread over 16 shards would leave them:
    generated aggregate data, no learner rows. Skipped when present."""
    if UnitFigure.objects.filter(unit__code=_national_code(1, 1, 1)).exists():
        return
    # Units left without their counters (a --backfill rebuild empties the
    # table): made again with them.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Unit._meta.db_table} WHERE code LIKE 'QG%%'")
    began = time.perf_counter()
    rng = random.Random(seed)
    first_root = Unit.get_last_root_node()
    start = int(first_root.path, 36) + 1 if first_root else 1
    units = CopyTable(
        Unit, ["path", "depth", "numchild", "code", "name", "level", "kind"]
    )
    figures = CopyTable(
        UnitFigure,
        ["unit_id", "learner_type", "kind", "subject_id", "bucket", "shard"]
        + list(maintained.COUNTERS),
    )
    q3 = quarter_bucket(2026, 3)
    leaves = []

    def step(n: int) -> str:
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        out = ""
        for _i in range(Unit.steplen):
            n, r = divmod(n, 36)
            out = digits[r] + out
        return out

    for p in range(1, NATIONAL_PROVINCES + 1):
        ppath = step(start + p - 1)
        units.add(
            ppath,
            1,
            NATIONAL_COMMUNES,
            _national_code(p),
            f"Tỉnh {p}",
            UnitLevel.PROVINCE,
            "tỉnh",
        )
        for c in range(1, NATIONAL_COMMUNES + 1):
            cpath = ppath + step(c)
            units.add(
                cpath,
                2,
                NATIONAL_VILLAGES,
                _national_code(p, c),
                f"Xã {p}.{c}",
                UnitLevel.COMMUNE,
                "xã",
            )
            for v in range(1, NATIONAL_VILLAGES + 1):
                vcode = _national_code(p, c, v)
                units.add(
                    cpath + step(v),
                    3,
                    0,
                    vcode,
                    f"Thôn {p}.{c}.{v}",
                    UnitLevel.VILLAGE,
                    "thôn",
                )
                leaves.append(vcode)
    units.copy()
    ids = dict(Unit.objects.filter(code__in=leaves).values_list("code", "pk"))
    types = list(LearnerType.values)
    shards = maintained.SHARDS
    for code in leaves:
        for kind in types:
            for shard in range(shards):
                n = rng.randint(
                    0, 2 * NATIONAL_LEARNERS_PER_VILLAGE // (shards * len(types))
                )
                for bucket, share in ((ALL, 1.0), (q3, 0.3)):
                    started = int(n * share * 0.7)
                    completed = int(started * 0.5)
                    scored = int(started * 0.6)
                    bands = [0] * 10
                    for _k in range(scored):
                        bands[rng.randrange(10)] += 1
                    figures.add(
                        ids[code],
                        kind,
                        "programme",
                        programme_pk,
                        bucket,
                        shard,
                        n if bucket == ALL else 0,
                        started,
                        completed,
                        int(started * 0.8),
                        int(completed * 0.9),
                        scored,
                        scored * 71.5,
                        *bands,
                    )
    rows = figures.copy()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {UnitFigure._meta.db_table}")
    print(
        f"  national roll-up data: {rows:,} counter rows "
        f"({time.perf_counter() - began:.0f} s)",
        flush=True,
    )


def national_rollup():
    """The country's figures by province: the 34 synthetic roots."""
    programme = ProgrammePage.objects.get(slug=TEAM_PROGRAMME)
    subject = subject_get(kind="programme", pk=programme.pk)
    nation = Unit(path="", depth=0)

    def one(bucket):
        def run():
            got = maintained.grouped_figures(
                unit=nation,
                subject=subject,
                bucket=bucket,
                audience="",
                group_len=Unit.steplen,
            )
            national = [f for g, f in got.items() if g != nation_skip[0]]
            assert len(national) >= NATIONAL_PROVINCES, len(national)
            return national

        return run

    # The benchmark's own province is a root too: left out of the count.
    nation_skip = [Unit.objects.get(code=PROVINCE).path]
    return one(ALL), one(quarter_bucket(2026, 3))


LOAD: list[float] = []  # 1-minute load average, sampled between timings


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds() -> float:
    """CPU time of this process and of the PostgreSQL backends serving this
    database (on this machine): unlike wall time, it does not grow when other
    work shares the cores."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    total = time.process_time()
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(stat[11]) + int(stat[12])) / TICKS  # utime + stime
    return total


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def _timed(work, repeat: int) -> tuple[Timing, object]:
    timing, result = Timing(), None
    for _ in range(repeat):
        LOAD.append(os.getloadavg()[0])
        cpu = _cpu_seconds()
        began = time.perf_counter()
        result = work()
        timing.wall.append(time.perf_counter() - began)
        timing.cpu.append(_cpu_seconds() - cpu)
    return timing, result


def _summary(t: Timing) -> str:
    wall = t.wall
    return (
        f"{statistics.median(wall):.2f} | {min(wall):.2f} | {max(wall):.2f} | "
        f"{statistics.median(t.cpu):.2f}"
    )


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _traced_peak(work) -> float:
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def _shape() -> list[tuple[str, int]]:
    province = Unit.objects.get(code=PROVINCE)
    under = Unit.objects.filter(path__startswith=province.path)
    return [
        ("communes", under.filter(level=UnitLevel.COMMUNE).count()),
        ("villages", under.filter(level=UnitLevel.VILLAGE).count()),
        ("learners", User.objects.filter(username__startswith="hv").count()),
        ("team memberships", TeamMembership.objects.count()),
        ("assignments", Assignment.objects.count()),
        ("courses (lessons each)", CoursePage.objects.count()),
        ("enrolments", Enrolment.objects.count()),
        ("lesson progress rows", LessonProgress.objects.count()),
        ("test attempts", Attempt.objects.count()),
        ("course completions", CourseCompletion.objects.count()),
        ("programme completions", ProgrammeCompletion.objects.count()),
    ]


def measure(*, repeat: int) -> dict:
    admin = User.objects.get(username=ADMIN)
    province = Unit.objects.get(code=PROVINCE)
    programme = ProgrammePage.objects.get(slug=TEAM_PROGRAMME)
    course = CoursePage.objects.order_by("topic_number").first()
    # The drill-down goes to the commune with the most learners in its subtree.
    per_commune = {}
    paths = User.objects.filter(username__startswith="hv").values_list(
        "unit__path", flat=True
    )
    for path in paths.iterator(chunk_size=10_000):
        key = path[: 2 * Unit.steplen]
        per_commune[key] = per_commune.get(key, 0) + 1
    biggest_path, biggest = max(per_commune.items(), key=lambda item: item[1])
    commune = Unit.objects.get(path=biggest_path)
    scope = admin_scope_get(user=admin)
    subject = subject_get(kind="programme", pk=programme.pk)
    filters = Filters(subject=subject, period=Period(), audience="")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    query = f"?subject=programme:{programme.pk}&audience="
    out = {"baseline_rss": _maxrss_mib()}

    def xlsx():
        levels = report_levels(
            scope=scope, unit=province, subject=subject, period=Period(), audience=""
        )
        return exports.report_xlsx(
            title=f"Báo cáo hoàn thành — {province.name}",
            filters=filters.describe(),
            generated_at=timezone.now(),
            levels=levels,
            with_target=False,
        )

    def xlsx_levels():
        return report_levels(
            scope=scope, unit=province, subject=subject, period=Period(), audience=""
        )

    def csv_text():
        report = completion_report_rows(
            scope=scope, unit=province, subject=subject, period=Period(), audience=""
        )
        return "".join(
            exports.report_csv(
                rows=report.rows,
                total=report.total,
                filters=filters.describe(),
                generated_at=report.generated_at,
                with_target=False,
            )
        ).encode("utf-8")

    # Peak resident memory first, before the pages raise the process's peak.
    before = _maxrss_mib()
    content = xlsx()
    out["xlsx_rss"] = _maxrss_mib() - before
    out["xlsx_size"] = len(content)
    before = _maxrss_mib()
    out["csv_size"] = len(csv_text())
    out["csv_rss"] = _maxrss_mib() - before

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return get

    province_url = reverse("report_unit", args=[province.code])
    pages = {
        "province page, 7-course programme, all time": province_url + query,
        "province page, 7-course programme, 2026-Q3": province_url
        + query
        + "&quarter=2026-Q3",
        "province page, course 1, all time": province_url
        + f"?subject=course:{course.pk}&audience=",
        f"commune page (drill-down to {commune.name}, {biggest} learners)": reverse(
            "report_unit", args=[commune.code]
        )
        + query,
    }
    out["pages"] = {}
    for label, url in pages.items():
        began = time.perf_counter()
        response = page(url)()
        first = time.perf_counter() - began
        times, response = _timed(page(url), repeat)
        with CaptureQueriesContext(connection) as queries:
            page(url)()
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        out["pages"][label] = (first, times, len(queries), sql, len(response.content))
    times, _r = _timed(xlsx_levels, repeat)
    out["xlsx_queries"] = times
    out["xlsx"], _r = _timed(xlsx, repeat)
    out["csv"], _r = _timed(csv_text, repeat)
    out["xlsx_traced"] = _traced_peak(xlsx)
    out["csv_traced"] = _traced_peak(csv_text)
    out["peak_rss"] = _maxrss_mib()
    report = completion_report_rows(
        scope=scope, unit=province, subject=subject, period=Period(), audience=""
    )
    out["total"] = report.total.figures
    # The cumulative-completions chart of the province page, from the
    # per-day counters and, for comparison, from the raw completions (the
    # oracle, and what the page read before): the same days and counts.
    chart = dict(unit=province, subject=subject, period=Period(), audience="")
    days = maintained.completions_by_day(**chart)
    assert days == report_sql.completions_by_day(**chart)
    out["chart_days"] = (len(days), UnitDay.objects.count())
    out["chart"] = {
        "per-day counters (`UnitDay`), what the page reads": _timed(
            lambda: maintained.completions_by_day(**chart), repeat
        )[0],
        "raw completions of the learners in scope (the oracle)": _timed(
            lambda: report_sql.completions_by_day(**chart), repeat
        )[0],
    }
    all_time, quarter = national_rollup()
    out["national"] = {}
    for when in ("as written (16 shards a unit)", "after the fold"):
        if when.startswith("after"):
            maintained.counters_compact()
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {UnitFigure._meta.db_table}")
        rows = UnitFigure.objects.count()
        out["national"][f"all time, {when}: {rows:,} counter rows"] = _timed(
            all_time, repeat
        )[0]
        out["national"][f"2026-Q3, {when}"] = _timed(quarter, repeat)[0]
    return out


def _machine() -> list[str]:
    meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SELECT current_setting('jit'), current_setting('work_mem')")
        jit, work_mem = cursor.fetchone()
    return [
        f"{os.cpu_count()} CPU ({cpu}), {int(meminfo) / 2**20:.1f} GiB RAM",
        f"Python {platform.python_version()}, PostgreSQL {pg} on 127.0.0.1 "
        f"(jit {jit}, work_mem {work_mem}), Django {django.get_version()}",
    ]


def _commit() -> str:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = subprocess.run(
        # Results written by an earlier run are not changes to what is measured.
        [
            "git",
            "-C",
            str(ROOT),
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            ".",
            ":!loadtest/results",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return head + (" (with uncommitted changes)" if dirty else "")


def report_write(*, path: Path, command: str, out: dict, load: list, seconds):
    total = out["total"]
    lines = [
        f"# Completion report: one province, {total.in_scope:,} learners × 7 courses",
        "",
        f"Measured {timezone.localtime():%Y-%m-%d %H:%M} ({settings.TIME_ZONE}) at "
        f"commit {_commit()}, by `loadtest/reports_benchmark.py`.",
        "",
        "Machine: " + "; ".join(_machine()) + ". "
        f"1-minute load average during the measurement: {min(load):.1f} to "
        f"{max(load):.1f} (a shared machine: other engineers' work runs on the same "
        "cores, so a run's spread says as much about them as about the report).",
        "",
        "## Command",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Measurement took {seconds:.0f} s.",
        "",
        "## Data",
        "",
        "| what | rows |",
        "|---|---|",
    ]
    lines += [f"| {label} | {n:,} |" for label, n in _shape()]
    lines += [
        "",
        "The 7-course programme is assigned to the province, so every learner is "
        "in its scope. Report totals (all time): "
        f"{total.in_scope:,} in scope, {total.started:,} took part in learning, "
        f"{total.tested:,} in a test, {total.passed:,} passed all seven, "
        f"{total.completed:,} completed; average score {total.average_score}.",
        "",
        "## Results",
        "",
        "Wall-clock seconds over the repetitions after a first, cold request "
        f"({len(out['xlsx'].wall)} repetitions each); CPU: seconds of CPU used by "
        "this process and its PostgreSQL backends, which other work on the "
        "machine does not inflate (a request runs on one core at a time, so "
        "with the cores to itself its wall time would be about this).",
        "",
        "| what | first | median | min | max | CPU (median) | SQL queries (their "
        "time in one more request) | response |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, (first, times, queries, sql, size) in out["pages"].items():
        lines.append(
            f"| {label} | {first:.2f} | {_summary(times)} | {queries} ({sql:.2f} s) "
            f"| {size / 1024:.0f} KiB HTML |"
        )
    lines += [
        "",
        "| export of the province (every level) | median | min | max | CPU (median) "
        "| file |",
        "|---|---|---|---|---|---|",
        f"| XLSX: its three grouped queries alone | {_summary(out['xlsx_queries'])} "
        "| — |",
        f"| XLSX: queries + workbook | {_summary(out['xlsx'])} | "
        f"{out['xlsx_size'] / 1024:.0f} KiB |",
        f"| CSV (communes + total) | {_summary(out['csv'])} | "
        f"{out['csv_size'] / 1024:.0f} KiB |",
        "",
        "Memory of the exports:",
        "",
        "| export | Python peak (tracemalloc) | growth of peak resident set |",
        "|---|---|---|",
        f"| XLSX | {out['xlsx_traced']:.1f} MiB | {out['xlsx_rss']:.0f} MiB |",
        f"| CSV | {out['csv_traced']:.1f} MiB | {out['csv_rss']:.0f} MiB |",
        "",
        f"Process peak resident set: {out['baseline_rss']:.0f} MiB after Django "
        f"started, {out['peak_rss']:.0f} MiB at the end.",
        "",
        "## Maintained figures (issue 23)",
        "",
        "The page, the exports and the snapshots read the counters kept as learning "
        "happens (`reports/maintained.py`); the learners above were written with COPY, "
        "so `reports_backfill` counted them first: "
        + (
            f"{out['backfill']:.0f} s for {total.in_scope:,} learners."
            if out.get("backfill")
            else "already done in an earlier run (`--reuse`)."
        ),
        "",
        "The province page's chart of cumulative completions (7-course programme, "
        f"all time: {out['chart_days'][0]} days with completions; "
        f"{out['chart_days'][1]:,} per-day counter rows in the table), "
        "the same days and counts both ways:",
        "",
        "| chart read from | median | min | max | CPU (median) |",
        "|---|---|---|---|---|",
        *(f"| {label} | {_summary(t)} |" for label, t in out["chart"].items()),
        "",
        "National roll-up on generated aggregate data: "
        f"{NATIONAL_PROVINCES} provinces × {NATIONAL_COMMUNES} communes × "
        f"{NATIONAL_VILLAGES} villages, counters of about "
        f"{NATIONAL_PROVINCES * NATIONAL_COMMUNES * NATIONAL_VILLAGES * NATIONAL_LEARNERS_PER_VILLAGE:,} "
        "learners in 16 shards, then folded as the quarter-hourly task does "
        "(`counters_compact`; rows counted over the whole table):",
        "",
        "| what | median | min | max | CPU (median) |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {label} | {_summary(t)} |" for label, t in out["national"].items()]
    lines += [
        "",
        "Targets (issue 7): page under 2 s, export under 30 s. Issue 23 at "
        "1,000,000 learners: page under 1 s, XLSX under 5 s, CSV under 2 s; the "
        "national roll-up within the same budget.",
        "",
    ]
    path.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the existing data if it is complete; generate otherwise",
    )
    parser.add_argument("--output", type=Path)
    parser.add_argument(
        "--backfill",
        action="store_true",
        help="with --reuse: rebuild the maintained figures from empty and time it",
    )
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--backfill-seconds", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.learners <= 1_000_000 or not 1 <= args.repeat <= 50:
        sys.exit("--learners must be 1–1,000,000 and --repeat 1–50")
    name = database_check()
    output = args.output or ROOT / "loadtest" / "results" / (
        "reports-100k.md" if args.learners == 100_000 else f"reports-{args.learners}.md"
    )
    if args.measure_only:
        began = time.perf_counter()
        out = measure(repeat=args.repeat)
        out["backfill"] = args.backfill_seconds
        command = (
            ("DB_JIT=" + os.environ["DB_JIT"] + " " if "DB_JIT" in os.environ else "")
            + f"DATABASE_URL=postgres://…/{name} .venv/bin/python "
            f"loadtest/reports_benchmark.py --learners {args.learners} "
            f"--repeat {args.repeat}"
            + (" --reuse" if args.reuse else "")
            + (" --backfill" if args.backfill else "")
            + (f" --output {args.output}" if args.output else "")
        )
        report_write(
            path=output,
            command=command,
            out=out,
            load=LOAD + [os.getloadavg()[0]],
            seconds=time.perf_counter() - began,
        )
        print(output.read_text())
        return
    if args.reuse and database_complete(name, args.learners):
        print(f"{name}: reusing {args.learners} learners", flush=True)
    else:
        print(f"{name}: generating {args.learners} learners", flush=True)
        database_recreate(name)
        generate(learners=args.learners, seed=args.seed)
    seconds = backfill(rebuild=args.backfill)
    national_generate(
        seed=args.seed,
        programme_pk=ProgrammePage.objects.get(slug=TEAM_PROGRAMME).pk,
    )
    connection.close()
    child = [sys.executable, __file__, "--measure-only"] + sys.argv[1:]
    if seconds is not None:
        child += ["--backfill-seconds", f"{seconds:.1f}"]
    sys.exit(subprocess.run(child, check=False).returncode)


if __name__ == "__main__":
    main()
