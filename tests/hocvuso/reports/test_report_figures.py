"""The report's numbers against an independent computation in plain Python
from the raw rows (no code shared with the selector), for several units,
periods and audiences; and the query count does not grow with learners."""

from collections import defaultdict
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.orgunits.models import Assignment, TeamMembership, Unit
from hocvuso.orgunits.selectors import admin_scope_get
from hocvuso.reports.periods import Period, quarter_parse
from hocvuso.reports.selectors import completion_report_rows, subject_get

from courses.models import (
    CourseCompletion,
    Enrolment,
    LessonProgress,
    ProgrammeCompletion,
)
from quizzes.models import Attempt

from .conftest import generate_learners

pytestmark = pytest.mark.django_db


def _in(ts, period: Period) -> bool:
    local = timezone.localtime(ts).date()
    return (period.start is None or local >= period.start) and (
        period.end is None or local < period.end
    )


def expected_by_child(
    *, unit, course_ids, programme, course_programmes, period, audience, kind
):
    """Child unit code → dict of figures, straight from the rows."""
    units = {u.pk: u for u in Unit.objects.all()}
    teams_of = defaultdict(set)
    for m in TeamMembership.objects.all():
        teams_of[m.user_id].add(m.team_id)
    assignments = list(Assignment.objects.all())
    enrolled = defaultdict(set)
    for e in Enrolment.objects.all():
        enrolled[e.user_id].add(e.course_id)

    def relevant(a):
        if kind == "course":
            return a.course_id in course_ids or a.programme_id in course_programmes
        return a.programme_id == programme

    out = defaultdict(lambda: defaultdict(float))
    opened = defaultdict(bool)
    for lp in LessonProgress.objects.all():
        if lp.course_id in course_ids and _in(lp.opened_at, period):
            opened[lp.user_id] = True
    tested, passes, best = defaultdict(bool), defaultdict(set), defaultdict(dict)
    for a in Attempt.objects.all():
        if a.course_id not in course_ids:
            continue
        if _in(a.started_at, period):
            tested[a.user_id] = True
        if a.status == "finished" and _in(a.finished_at, period):
            if a.passed:
                passes[a.user_id].add(a.course_id)
            if a.score_percent is not None:
                old = best[a.user_id].get(a.course_id)
                best[a.user_id][a.course_id] = (
                    max(old or 0, a.score_percent)
                    if old is not None
                    else a.score_percent
                )
    if kind == "course":
        done = {
            c.user_id
            for c in CourseCompletion.objects.all()
            if c.course_id in course_ids and _in(c.completed_at, period)
        }
    else:
        done = {
            c.user_id
            for c in ProgrammeCompletion.objects.all()
            if c.programme_id == programme and _in(c.completed_at, period)
        }
    for user in User.objects.exclude(unit=None):
        home = units[user.unit_id]
        if not home.path.startswith(unit.path):
            continue
        if audience and user.learner_type != audience:
            continue
        assigned = any(
            relevant(a)
            and (
                (a.unit_id and home.path.startswith(units[a.unit_id].path))
                or (a.team_id and a.team_id in teams_of[user.pk])
            )
            for a in assignments
        )
        if not (assigned or enrolled[user.pk] & set(course_ids)):
            continue
        child = home
        while child.depth > unit.depth + 1:
            child = units[
                next(
                    u.pk
                    for u in units.values()
                    if u.path == child.path[: (child.depth - 1) * 4]
                )
            ]
        key = child.code if child.depth == unit.depth + 1 else ""
        f = out[key]
        f["in_scope"] += 1
        f["started"] += opened[user.pk]
        f["completed"] += user.pk in done
        f["tested"] += tested[user.pk]
        f["passed"] += len(passes[user.pk]) >= len(course_ids)
        scores = best[user.pk]
        if scores:
            f["scored"] += 1
            f["score_sum"] += sum(scores.values()) / len(scores)
    return out


CASES = [
    ("province0", "course0", Period(), ""),
    ("province0", "course1", quarter_parse("2026-Q2"), "citizen"),
    ("commune0.0", "course0", quarter_parse("2026-Q3"), ""),
    ("commune0.1", "programme", Period(), "team_member"),
    ("province1", "programme", Period(date(2026, 2, 10), date(2026, 9, 1)), ""),
    ("commune1.0", "course1", Period(), "citizen"),
]


@pytest.mark.parametrize("label,what,period,audience", CASES)
def test_report_equals_plain_python(org_tree, dataset, label, what, period, audience):
    unit = org_tree.admin_units[label]
    if what == "programme":
        subject = subject_get(kind="programme", pk=dataset.programme.pk)
    else:
        course = dataset.courses[int(what[-1])]
        subject = subject_get(kind="course", pk=course.pk)
    scope = admin_scope_get(user=org_tree.admins[label])
    report = completion_report_rows(
        scope=scope, unit=unit, subject=subject, period=period, audience=audience
    )
    expected = expected_by_child(
        unit=unit,
        course_ids=list(subject.course_ids),
        programme=dataset.programme.pk,
        course_programmes=set(subject.programme_ids),
        period=period,
        audience=audience,
        kind=subject.kind,
    )
    got = {row.code: row.figures for row in report.rows if row.figures.in_scope}
    assert set(got) == set(expected)
    assert sum(f["in_scope"] for f in expected.values()) > 0
    for code, exp in expected.items():
        f = got[code]
        for key in ("in_scope", "started", "completed", "tested", "passed", "scored"):
            assert getattr(f, key) == exp[key], (code, key)
        assert f.score_sum == pytest.approx(exp["score_sum"])
    total = report.total.figures
    assert total.in_scope == sum(e["in_scope"] for e in expected.values())
    assert total.not_completed == total.in_scope - total.completed


def test_a_commune_admin_gets_no_report_of_another_commune(org_tree, dataset):
    scope = admin_scope_get(user=org_tree.admins["commune0.0"])
    subject = subject_get(kind="course", pk=dataset.courses[0].pk)
    assert (
        completion_report_rows(
            scope=scope,
            unit=org_tree.communes[1],
            subject=subject,
            period=Period(),
            audience="",
        )
        is None
    )


def _report_queries(org_tree, data) -> int:
    unit = org_tree.provinces[0]
    admin = org_tree.admins["province0"]
    subject = subject_get(kind="programme", pk=data.programme.pk)
    scope = admin_scope_get(user=admin)
    with CaptureQueriesContext(connection) as ctx:
        report = completion_report_rows(
            scope=scope,
            unit=unit,
            subject=subject,
            period=quarter_parse("2026-Q1"),
            audience="",
        )
    assert report.total.figures.in_scope > 0
    return len(ctx.captured_queries), report.total.figures.in_scope


def test_query_count_does_not_grow_with_learners(
    org_tree, catalog_and_quiz, django_assert_max_num_queries
):
    generate_learners(org_tree, catalog_and_quiz, n=100, seed=1)
    small, n_small = _report_queries(org_tree, catalog_and_quiz)
    generate_learners(org_tree, catalog_and_quiz, n=9_900, seed=2)
    large, n_large = _report_queries(org_tree, catalog_and_quiz)
    assert n_large > 10 * n_small
    assert small == large
    # One of them asks whether the maintained figures are ready (issue 23).
    with django_assert_max_num_queries(7):
        _report_queries(org_tree, catalog_and_quiz)
