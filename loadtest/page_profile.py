"""CPU and queries per request of the pages the browse load test hits.

    python loadtest/page_profile.py [-n 300] [--profile course|cstate|lesson|state|again|done]
    python loadtest/page_profile.py --flow exam [-n 100] [--profile start|attempt|autosave|submit]

One process, the Django test client, production settings (DEBUG off, so the
cached template loader). Builds a throwaway test database (SQLite unless
DATABASE_URL is set; the name gets Django's test_ prefix), seeds the seven demo
courses as loadtest/seed.py does, logs in one learner and then, N times over:
GET course page, GET lesson page, POST "Hoàn thành bài học" (which moves the
learner on to the next lesson). With --flow exam, N times over: start the
final test of a course (POST /api/attempts), open the attempt page, autosave
every question, submit. Prints process CPU ms and queries per request; with
--profile, the cProfile top of that request kind (PROFILE_CALLEES=<regex> also
prints what the matching functions called, PROFILE_CALLERS=<regex> who
called them). "cstate" is the course page's state; "state" is a lesson's
(the lesson was opened by the "done" before it, but for a course's first
lesson), "again" the same lesson's state viewed again; "done" is sent as
page_state.js sends it and answers the next page's state, opening included.
They, "done", and the test's start, autosave and submit go through the shorter
middleware chain (core.page_state_handler), as the site's WSGI application
sends them. Redis commands are counted per
request (each is one round trip).

Measures the Django process only: PostgreSQL, Redis and nginx CPU come on top
in a real run (loadtest/run).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import django

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.production")
os.environ.setdefault("SECRET_KEY", "page-profile-" + "x" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.client import ClientHandler  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)


def seed(*, in_unit: bool = False):
    from hocvuso.accounts.models import User
    from hocvuso.accounts.services import consent_give
    from hocvuso.core.demo import demo_privacy_notice_seed, demo_site_seed

    from courses.demo import course_definitions_load, demo_catalog_seed
    from quizzes.demo import demo_quizzes_seed

    home = demo_site_seed()
    notice = demo_privacy_notice_seed()
    demo_catalog_seed(home=home, courses=course_definitions_load())
    demo_quizzes_seed()
    user = User.objects.create_user(
        username="hocvien_profile",
        password="Matkhau@2025",
        phone="+84900000001",
        phone_verified=True,
        full_name="Học viên đo",
    )
    consent_give(user=user, notice=notice)
    if in_unit:
        # As on a training day: the learner's province is assigned the
        # seven-course programme, so the report counts them in every course.
        from datetime import date

        from hocvuso.accounts.services import user_place_set
        from hocvuso.orgunits.models import Unit
        from hocvuso.orgunits.services import assignment_create

        from courses.models import ProgrammePage

        province = Unit.add_root(
            code="99", name="Tỉnh đo", level="province", kind="tỉnh"
        )
        user_place_set(user=user, unit=province)
        assignment_create(
            created_by=None,
            programme=ProgrammePage.objects.get(slug="to-cong-nghe-so-cong-dong"),
            unit=province,
            starts_on=date(2026, 1, 1),
            due_on=date(2027, 12, 31),
        )
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=300, help="requests of each kind")
    parser.add_argument("--flow", choices=["browse", "exam"], default="browse")
    parser.add_argument(
        "--profile",
        choices=[
            "course",
            "cstate",
            "lesson",
            "state",
            "again",
            "done",
            "start",
            "attempt",
            "autosave",
            "submit",
        ],
    )
    parser.add_argument(
        "--unit",
        action="store_true",
        help="the learner lives in a province assigned the seven-course "
        "programme, so the report's maintained figures count them",
    )
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--queries", action="store_true", help="print the SQL of the last of each"
    )
    args = parser.parse_args()
    n = max(1, min(args.n, 5000))

    setup_test_environment()
    # {% static %} with the manifest storage needs collectstatic; the lookup
    # is a dict read either way.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        }
    ).enable()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        run(n, args)
    finally:
        teardown_databases(old, verbosity=0)


class PageStateClientHandler(ClientHandler):
    """The test client's handler over the shorter middleware chain that the
    site gives its frequent requests (core.page_state_handler)."""

    def load_middleware(self, is_async=False):
        from hocvuso.core.page_state_handler import PageStateHandler

        PageStateHandler.load_middleware(self, is_async)


def page_state_client(client: Client) -> Client:
    """A client sending what `client` sends (its cookies) through the shorter
    chain: the page state, "done", a test's start, autosave and submit."""
    state_client = Client()
    state_client.handler = PageStateClientHandler(enforce_csrf_checks=False)
    state_client.cookies = client.cookies
    return state_client


class RedisCommands:
    """Counts the Redis commands this process sends: one round trip each."""

    def __init__(self):
        from redis.client import Redis

        self.count = 0
        send = Redis.execute_command

        def counted(client, *args, **options):
            self.count += 1
            return send(client, *args, **options)

        Redis.execute_command = counted


class Meter:
    """CPU, queries, Redis round trips and (optionally) a cProfile of each
    kind of request."""

    def __init__(self, kinds, profile_kind):
        # kind: [CPU seconds of each request, queries, Redis round trips]
        self.kinds = {kind: [[], 0, 0] for kind in kinds}
        self.redis = RedisCommands()
        self.profile_kind = profile_kind
        self.profiler = cProfile.Profile(time.process_time) if profile_kind else None
        self.last_sql: dict[str, list[str]] = {}
        self.rounds = 0

    def timed(self, kind, method, url, **extra):
        reset_queries()
        redis_before = self.redis.count
        connection.force_debug_cursor = True
        profiling = self.profiler is not None and kind == self.profile_kind
        if profiling:
            self.profiler.enable()
        start = time.process_time()
        response = method(url, secure=True, **extra)
        elapsed = time.process_time() - start
        if profiling:
            self.profiler.disable()
        connection.force_debug_cursor = False
        entry = self.kinds[kind]
        entry[0].append(elapsed)
        entry[1] += len(connection.queries)
        entry[2] += self.redis.count - redis_before
        self.last_sql[kind] = [q["sql"] for q in connection.queries]
        return response

    def report(self, args) -> None:
        print(f"database: {connection.vendor}, rounds: {self.rounds}")
        # The median as well: on a shared machine it moves less than the mean.
        for kind, (cpus, queries, redis) in self.kinds.items():
            count = max(len(cpus), 1)
            print(
                f"{kind:8s} CPU {1000 * sum(cpus) / count:6.2f} ms/request "
                f"(median {1000 * statistics.median(cpus or [0]):6.2f}), "
                f"{queries / count:5.1f} queries/request, "
                f"{redis / count:4.1f} Redis round trips/request"
            )
        if args.queries:
            for kind, sqls in self.last_sql.items():
                print(f"--- {kind}")
                for sql in sqls:
                    print("  ", sql[:300])
        if self.profiler:
            stats = pstats.Stats(self.profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
            if os.environ.get("PROFILE_CALLEES"):
                stats.sort_stats("cumulative").print_callees(
                    os.environ["PROFILE_CALLEES"]
                )
            if os.environ.get("PROFILE_CALLERS"):
                stats.print_callers(os.environ["PROFILE_CALLERS"])


def run(n: int, args) -> None:
    from django.core.cache import cache

    cache.clear()
    user = seed(in_unit=args.unit)
    settings.DEBUG = False  # setup_test_environment leaves it; be explicit
    meter = (run_exam if args.flow == "exam" else run_browse)(n, args, user)
    meter.report(args)


def run_browse(n: int, args, user) -> Meter:
    """Walk the courses lesson by lesson as a browsing learner does; when all
    lessons are done, reset the learner's progress and walk again."""
    from courses.models import CourseCompletion, CoursePage, LessonPage, LessonProgress
    from courses.services import enrolment_create

    courses = list(CoursePage.objects.live().order_by("path"))
    lessons = {
        c.pk: list(LessonPage.objects.live().child_of(c).order_by("path"))
        for c in courses
    }
    for c in courses:
        enrolment_create(user=user, course=c)
    client = Client()
    client.force_login(user)
    state_client = page_state_client(client)
    # "course" and "lesson" are what Django does on a miss of nginx's cache
    # (once per cache period); "state" is each view's personal part.
    meter = Meter(
        ["course", "cstate", "lesson", "state", "again", "done"], args.profile
    )

    # Warm-up, not counted: renditions of the covers, compiled templates.
    for course in courses:
        client.get(course.url, secure=True)
        client.get(lessons[course.pk][0].url, secure=True)

    position = {c.pk: 0 for c in courses}
    wall = time.monotonic()
    while meter.rounds < n and time.monotonic() - wall < 600:
        for course in courses:
            if meter.rounds >= n:
                break
            i = position[course.pk]
            if i >= len(lessons[course.pk]):
                LessonProgress.objects.filter(user=user, course=course).delete()
                CourseCompletion.objects.filter(user=user, course=course).delete()
                position[course.pk] = i = 0
            lesson = lessons[course.pk][i]
            r = meter.timed("course", client.get, course.url)
            assert r.status_code == 200, (course.url, r.status_code)
            r = meter.timed(
                "cstate", state_client.get, f"/api/me/state?page={course.pk}"
            )
            assert r.status_code == 200 and r.json()["redirect"] is None, r.content
            r = meter.timed("lesson", client.get, lesson.url)
            assert r.status_code == 200, (lesson.url, r.status_code)
            assert "Hoàn thành bài học".encode() in r.content
            r = meter.timed(
                "state", state_client.get, f"/api/me/state?page={lesson.pk}"
            )
            assert r.status_code == 200 and r.json()["redirect"] is None, r.content
            # The same lesson viewed again: what most views cost.
            r = meter.timed(
                "again", state_client.get, f"/api/me/state?page={lesson.pk}"
            )
            assert r.status_code == 200 and r.json()["redirect"] is None, r.content
            r = meter.timed(
                "done",
                state_client.post,
                f"/hoc/bai-hoc/{lesson.pk}/hoan-thanh/",
                HTTP_REFERER=lesson.url,
                HTTP_ACCEPT="application/json",
            )
            assert r.status_code == 200 and r.json()["state"], (lesson.url, r.content)
            position[course.pk] += 1
            meter.rounds += 1
    return meter


def run_exam(n: int, args, user) -> Meter:
    """Start, open, answer every question, submit; then forget the attempt so
    the learner may start again."""
    import json

    from quizzes.models import Attempt, QuizPage

    quiz = QuizPage.objects.live().order_by("path").first()
    client = Client()
    client.force_login(user)
    # Start, autosave and submit take the short chain, as the site sends them.
    lean = page_state_client(client)
    meter = Meter(["start", "attempt", "autosave", "submit"], args.profile)
    as_json = {"content_type": "application/json"}

    def one_round(timed):
        r = timed(
            "start", lean.post, "/api/attempts", data={"quiz_id": quiz.pk}, **as_json
        )
        assert r.status_code == 201, r.content[:200]
        attempt = r.json()
        r = timed("attempt", client.get, f"/kiem-tra/lam-bai/{attempt['id']}/")
        assert r.status_code == 200, r.status_code
        answers = []
        for seq, question in enumerate(attempt["questions"], start=1):
            choice = question["choices"][0]["id"]
            r = timed(
                "autosave",
                lean.put,
                f"/api/attempts/{attempt['id']}/answers/{question['id']}",
                data=json.dumps({"choice_ids": [choice], "seq": seq}),
                **as_json,
            )
            assert r.status_code == 200 and r.json()["saved"], r.content[:200]
            answers.append(
                {"question_id": question["id"], "choice_ids": [choice], "seq": seq}
            )
        r = timed(
            "submit",
            lean.post,
            f"/api/attempts/{attempt['id']}/submit",
            data={"answers": answers},
            **as_json,
        )
        assert r.status_code == 200 and r.json()["status"] == "finished", r.content[
            :200
        ]
        Attempt.objects.filter(user=user).delete()

    one_round(lambda kind, method, url, **extra: method(url, secure=True, **extra))
    wall = time.monotonic()
    while meter.rounds < n and time.monotonic() - wall < 600:
        one_round(meter.timed)
        meter.rounds += 1
    return meter


if __name__ == "__main__":
    main()
