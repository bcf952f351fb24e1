"""Bulk changes of scope refreshed in the background (issue 23).

A course assigned to a whole province changes the scope of every learner in
it; refreshing them costs about 1.25 ms each, so a province of a million is
20 minutes — far too long for the administrator's request, and too long a
transaction for the learners it would lock. A change reaching at most
`REPORTS_REFRESH_INLINE_MAX` learners is still refreshed in its own
transaction (exact at commit, as every learning event is). A bigger one
writes a `RefreshJob` row in the change's transaction and enqueues
`refresh_job_run_task` after commit; the task refreshes the learners in id
order, a batch a transaction, and records after each batch how far it got.

Durable: the row is committed with the change, so a task lost with the
broker, or a worker killed mid-way, is found by the beat sweep
(`refresh_jobs_resume`, every minute) once its lease has lapsed, and resumes
after the last batch done. Re-running a batch is harmless: a refresh writes
only what differs from the learner's raw rows.

While a job is unfinished, the figures of the units it touches lag behind:
the report page says so (`refresh_notice_get`), with how far the job got
and when it should end. Learning meanwhile is counted as usual (each event
refreshes its own learner from the raw rows, whatever the job has reached).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from courses.models import Enrolment
from hocvuso.accounts.models import User
from hocvuso.orgunits.models import Assignment, TeamMembership, Unit

from . import maintained
from .models import LearnerFact, RefreshJob, RefreshKind


def _inline_max() -> int:
    return settings.REPORTS_REFRESH_INLINE_MAX


def _lease() -> timedelta:
    return timedelta(seconds=settings.REPORTS_REFRESH_LEASE_SECONDS)


def _learners(job: RefreshJob) -> QuerySet:
    """Every learner the job must refresh (a superset is harmless)."""
    users = User.objects.all()
    if job.kind == RefreshKind.UNIT:
        return users.filter(
            unit_id__in=Unit.objects.filter(path__startswith=job.unit_path).values("pk")
        )
    if job.kind == RefreshKind.TEAM:
        return users.filter(
            Exists(
                TeamMembership.objects.filter(
                    user_id=OuterRef("pk"), team_id=job.team_id
                )
            )
        )
    # A programme's course list changed: whoever counted in it before (its
    # facts, or the facts of a course added or removed), whoever is enrolled
    # in a course added or removed, and whoever its assignments reach now.
    reached = Q(
        Exists(
            LearnerFact.objects.filter(
                Q(kind="programme", subject_id=job.programme_id)
                | Q(kind="course", subject_id__in=job.course_ids),
                user_id=OuterRef("pk"),
            )
        )
    ) | Q(
        Exists(
            Enrolment.objects.filter(
                user_id=OuterRef("pk"), course_id__in=job.course_ids
            )
        )
    )
    for team_id, path in Assignment.objects.filter(
        programme_id=job.programme_id
    ).values_list("team_id", "unit__path"):
        if team_id is not None:
            reached |= Q(
                Exists(
                    TeamMembership.objects.filter(
                        user_id=OuterRef("pk"), team_id=team_id
                    )
                )
            )
        elif path:
            reached |= Q(unit__path__startswith=path)
    return users.filter(reached)


def _batch(job: RefreshJob, *, after: int, limit: int) -> list[int]:
    return list(
        _learners(job)
        .filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def scope_refresh(
    *,
    kind: str,
    reason: str,
    unit_path: str = "",
    team_id: int | None = None,
    programme_id: int | None = None,
    course_ids: list[int] | None = None,
    scope_path: str = "",
) -> RefreshJob | None:
    """Refresh the learners a change of scope reaches: now, in the caller's
    transaction, when they are few; else through a `RefreshJob`, returned."""
    job = RefreshJob(
        kind=kind,
        reason=reason[:300],
        unit_path=unit_path,
        team_id=team_id,
        programme_id=programme_id,
        course_ids=sorted(set(course_ids or [])),
        scope_path=scope_path,
    )
    ids = _batch(job, after=0, limit=_inline_max() + 1)
    if len(ids) <= _inline_max():
        # A programme's course list is read afresh: the page tree's cache may
        # still hold the list from before this publish.
        fresh = maintained.subjects_read() if kind == RefreshKind.PROGRAMME else None
        learners_refresh_locked(ids, subjects=fresh)
        return None
    job.save()
    from .tasks import refresh_job_run_task

    transaction.on_commit(lambda: refresh_job_run_task.delay(job.pk))
    return job


@transaction.atomic
def learners_refresh_locked(ids: list[int], *, subjects=None) -> None:
    """Every learner locked before any counter row is written (a submit
    holding one of them and waiting for a counter a first batch wrote would
    otherwise deadlock with this), then refreshed a batch at a time."""
    ids = list(
        User.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), maintained.BATCH):
        maintained.learners_refresh(
            user_ids=ids[start : start + maintained.BATCH], subjects=subjects
        )


def assignment_refresh(*, assignment: Assignment, removed: bool = False) -> None:
    """The learners an assignment brings into (or takes out of) scope."""
    subject = assignment.course or assignment.programme
    target = assignment.team or assignment.unit
    what = "Bỏ giao" if removed else "Giao"
    reason = f"{what} “{subject.title}” cho {target.name}"
    if assignment.team_id:
        scope_refresh(
            kind=RefreshKind.TEAM,
            reason=reason,
            team_id=assignment.team_id,
            scope_path=assignment.team.unit.path,
        )
        return
    path = assignment.unit.path
    scope_refresh(kind=RefreshKind.UNIT, reason=reason, unit_path=path, scope_path=path)


def programme_courses_changed(*, programme_id: int, course_id: int) -> None:
    """A course added to or removed from a programme (the CMS publishes its
    new list; each row added or removed calls this, the last one sees the
    whole new list). A big one: one job per programme until it starts,
    absorbing every course of the same publish."""
    job = (
        RefreshJob.objects.select_for_update()
        .filter(
            kind=RefreshKind.PROGRAMME,
            programme_id=programme_id,
            started_at__isnull=True,
            finished_at__isnull=True,
        )
        .first()
    )
    if job is not None:
        if course_id not in job.course_ids:
            job.course_ids = sorted({*job.course_ids, course_id})
            job.save(update_fields=["course_ids"])
        return
    from courses.models import ProgrammePage

    title = (
        ProgrammePage.objects.filter(pk=programme_id)
        .values_list("title", flat=True)
        .first()
    )
    scope_refresh(
        kind=RefreshKind.PROGRAMME,
        reason=f"Đổi danh sách khóa học của chương trình “{title or programme_id}”",
        programme_id=programme_id,
        course_ids=[course_id],
    )


# --- Running them -------------------------------------------------------------------


def refresh_job_run(*, job_id: int, now: datetime | None = None) -> RefreshJob | None:
    """Claim the job (unless another run holds a live lease) and refresh its
    learners from where it got to, a batch a transaction."""
    now = now or timezone.now()
    claimed = RefreshJob.objects.filter(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - _lease()),
        pk=job_id,
        finished_at__isnull=True,
    ).update(heartbeat_at=now, runs=F("runs") + 1)
    if not claimed:
        return RefreshJob.objects.filter(pk=job_id).first()
    job = RefreshJob.objects.get(pk=job_id)
    if job.started_at is None:
        job.started_at = now
        job.total = _learners(job).count()
        job.save(update_fields=["started_at", "total"])
    while True:
        with transaction.atomic():
            job = RefreshJob.objects.select_for_update().get(pk=job_id)
            if job.finished_at is not None:
                return job
            ids = _batch(job, after=job.after_user_id, limit=maintained.BATCH)
            moment = timezone.now()
            if not ids:
                job.finished_at = moment
                job.total = max(job.total, job.done)
                job.save(update_fields=["finished_at", "total"])
                return job
            maintained.learners_refresh(user_ids=ids)
            job.after_user_id = ids[-1]
            job.done += len(ids)
            job.heartbeat_at = moment
            job.save(update_fields=["after_user_id", "done", "heartbeat_at"])


def refresh_jobs_resume(*, now: datetime | None = None) -> int:
    """Beat sweep: enqueue every unfinished job no run holds (the task was
    lost, or its worker died); returns how many."""
    now = now or timezone.now()
    from .tasks import refresh_job_run_task

    stale = list(
        RefreshJob.objects.filter(finished_at__isnull=True)
        .filter(
            Q(heartbeat_at__lt=now - _lease())
            # Never started: give the task enqueued at commit a minute.
            | Q(heartbeat_at__isnull=True, created_at__lt=now - timedelta(minutes=1))
        )
        .values_list("pk", flat=True)
    )
    for pk in stale:
        refresh_job_run_task.delay(pk)
    return len(stale)


# --- Reading them ---------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshNotice:
    """What the report page says while its figures are being updated."""

    reasons: list[str]
    since: datetime  # the oldest change not yet counted everywhere
    done: int
    total: int
    ends_at: datetime | None  # estimated from the pace so far

    @property
    def percent(self) -> int:
        return min(99, 100 * self.done // self.total) if self.total else 0


def refresh_notice_get(
    *, unit: Unit, now: datetime | None = None
) -> RefreshNotice | None:
    """The unfinished jobs touching `unit`'s figures (its subtree or one of
    its ancestors), or None. Unfinished jobs are few: a partial index."""
    jobs = [
        job
        for job in RefreshJob.objects.filter(finished_at__isnull=True).order_by(
            "created_at"
        )[:50]
        if job.scope_path.startswith(unit.path) or unit.path.startswith(job.scope_path)
    ]
    if not jobs:
        return None
    now = now or timezone.now()
    done = sum(j.done for j in jobs)
    total = sum(max(j.total, j.done) for j in jobs)
    ends_at = None
    if all(j.started_at is not None for j in jobs) and done and total:
        started = min(j.started_at for j in jobs)
        elapsed = max((now - started).total_seconds(), 1.0)
        ends_at = now + timedelta(seconds=elapsed * (total - done) / done)
    return RefreshNotice(
        reasons=[j.reason for j in jobs],
        since=jobs[0].created_at,
        done=done,
        total=total,
        ends_at=ends_at,
    )
