"""Counts for the training-day dashboard, per child unit, computed at most
once per interval per unit (cached), so any number of admins watching the
same unit share one computation and no learner action sends a message."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CourseCompletion, Enrolment, MediaWatch
from hocvuso.accounts.models import User
from hocvuso.orgunits.models import Unit, UnitLevel
from quizzes.models import Answer, Attempt

from .selectors import DIRECT_ROW_NAMES

ACTIVE_MINUTES = 5
RECENT_MINUTES = 15
KEYS = ("active", "testing", "submitted", "completed")


def live_interval() -> int:
    return int(getattr(settings, "REPORTS_LIVE_SECONDS", 5))


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def live_sql(unit: Unit, now) -> tuple[str, list]:
    """The dashboard's one statement. Each part of the UNION is bounded by
    time through an index (migrations courses 00xx, quizzes 00xx), so its
    cost follows the last minutes' activity, not the number of learners
    (tests/hocvuso/reports/test_live_plan.py reads the plan). Answers are
    reached through their attempts (open, or finished since the window
    opened less the grace period: an answer saved in the grace period
    belongs to an attempt finished at its deadline, before it), each one's
    answers read through their attempt (a subquery per attempt, so that no
    plan reads every answer): an index on the answers' save time would cost
    every autosave. Each learner found is placed by a lookup of their own
    (a subquery per row, by primary key), never by reading every learner of
    the unit."""
    adapt = connection.ops.adapt_datetimefield_value
    active_since = now - timedelta(minutes=ACTIVE_MINUTES)
    recent_since = adapt(now - timedelta(minutes=RECENT_MINUTES))
    finished_since = adapt(
        active_since - timedelta(seconds=settings.QUIZ_GRACE_SECONDS)
    )
    active_since = adapt(active_since)
    group_len = (unit.depth + 1) * Unit.steplen
    u, un = _t(User), _t(Unit)
    sql = f"""
    WITH ev AS (
      SELECT 'active' AS k, e.user_id AS uid FROM {_t(Enrolment)} e
        WHERE e.last_activity_at >= %s
      UNION SELECT 'active', m.user_id FROM {_t(MediaWatch)} m
        WHERE m.last_heartbeat_at >= %s
      UNION SELECT 'active', a.user_id FROM {_t(Attempt)} a
        WHERE (a.status = 'open' OR (a.status = 'finished' AND a.finished_at >= %s))
          AND (SELECT MAX(an.saved_at) FROM {_t(Answer)} an
               WHERE an.attempt_id = a.id) >= %s
      UNION SELECT 'testing', a.user_id FROM {_t(Attempt)} a WHERE a.status = 'open'
      UNION SELECT 'submitted', a.user_id FROM {_t(Attempt)} a
        WHERE a.status = 'finished' AND a.finished_at >= %s
      UNION SELECT 'completed', c.user_id FROM {_t(CourseCompletion)} c
        WHERE c.completed_at >= %s
    ), placed AS (
      SELECT ev.k, ev.uid, (SELECT un.path FROM {u} u
          JOIN {un} un ON un.id = u.unit_id WHERE u.id = ev.uid) AS path
      FROM ev
    )
    SELECT substr(path, 1, %s) AS grp, k, COUNT(DISTINCT uid)
    FROM placed WHERE path LIKE %s
    GROUP BY substr(path, 1, %s), k
    """
    params = [active_since] * 2 + [finished_since, active_since]
    params += [recent_since] * 2 + [group_len, unit.path + "%", group_len]
    return sql, params


def _compute(unit: Unit) -> dict:
    now = timezone.now()
    sql, params = live_sql(unit, now)
    counts: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for grp, key, n in cursor.fetchall():
            counts.setdefault(grp, dict.fromkeys(KEYS, 0))[key] = n
    children = Unit.objects.filter(
        path__startswith=unit.path, depth=unit.depth + 1
    ).order_by("name")
    rows = [
        {"code": c.code, "name": c.name, **counts.pop(c.path, dict.fromkeys(KEYS, 0))}
        for c in children
    ]
    if counts:  # learners registered on the unit itself, on none of its children
        direct = dict.fromkeys(KEYS, 0)
        for value in counts.values():
            for key in KEYS:
                direct[key] += value[key]
        name = DIRECT_ROW_NAMES.get(unit.level, DIRECT_ROW_NAMES[UnitLevel.COMMUNE])
        rows.append({"code": "", "name": _(name), **direct})
    total = {key: sum(r[key] for r in rows) for key in KEYS}
    return {
        "unit": unit.code,
        "at": timezone.localtime(now).strftime("%H:%M:%S"),
        "rows": rows,
        "total": total,
    }


def live_counts(*, unit: Unit) -> dict:
    """The dashboard figures of the unit's children; cached for the interval."""
    key = f"reports:live:{unit.path}"
    data = cache.get(key)
    if data is None:
        data = _compute(unit)
        cache.set(key, data, live_interval())
    return data
