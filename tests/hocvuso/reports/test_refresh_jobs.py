"""Issue 23, bulk changes of scope: an assignment (or its removal) reaching
more learners than REPORTS_REFRESH_INLINE_MAX is refreshed by a durable
background job; the report page says the figures are being updated while it
runs; a lost or interrupted job is resumed by the beat sweep; and, after it,
the maintained figures equal the grouped SQL (the oracle). Also the changes
the services do not make: an account deleted outright, a programme's course
list published from the CMS."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.orgunits.services import assignment_create, assignment_delete
from hocvuso.reports import maintained, refresh_jobs
from hocvuso.reports.models import LearnerFact, RefreshJob
from hocvuso.reports.selectors import subject_get

from courses.models import Enrolment, ProgrammeCourse, ProgrammePage
from courses.services import enrolment_create, lesson_complete
from tests.hocvuso.reports.test_maintained_oracle import _assert_same, _play
from tests.hocvuso.reports.test_maintained_oracle import (  # noqa: F401 (fixture)
    world as oracle_world,
)

pytestmark = pytest.mark.django_db

BIG = override_settings(REPORTS_REFRESH_INLINE_MAX=2)
NOTICE = "Số liệu đang cập nhật"


@pytest.fixture
def world(request):
    """The oracle test's world: two courses, a programme, eight learners."""
    return request.getfixturevalue("oracle_world")


def _history(world) -> None:
    """Some learning first, so that a change of scope moves real figures."""
    for kind, seed in [("enrol", 1), ("done", 2), ("test", 3), ("enrol", 4)]:
        for n in range(3):
            _play(world, kind, seed * 10 + n, [])


def _page(client, world, unit):
    client.force_login(world["tree"].admins["superuser"])
    query = f"subject=course:{world['courses'][1].pk}&audience="
    return client.get(reverse("report_unit", args=[unit.code]) + "?" + query)


def _assign_province(world):
    return assignment_create(
        created_by=None,
        course=world["courses"][1],
        unit=world["tree"].provinces[0],
        starts_on=date(2026, 1, 1),
        due_on=date(2027, 12, 31),
    )


def _province_in_scope(world) -> int:
    return maintained.in_scope_count(
        unit=world["tree"].provinces[0],
        subject=world["subjects"][1],
        audience="",
    )


def test_a_big_assignment_is_refreshed_in_the_background_and_the_page_says_so(
    world, client, django_capture_on_commit_callbacks
):
    _history(world)
    before = _province_in_scope(world)
    with BIG, django_capture_on_commit_callbacks() as queued:
        _assign_province(world)
    job = RefreshJob.objects.get()
    assert job.finished_at is None and job.scope_path == world["tree"].provinces[0].path
    assert "Giao “" in job.reason and world["tree"].provinces[0].name in job.reason
    # Not counted yet: the request did not refresh the province's learners.
    assert _province_in_scope(world) == before
    page = _page(client, world, world["tree"].communes[0])
    assert NOTICE in page.text and "đang chờ xử lý" in page.text
    assert job.reason in page.text
    # Another province's page is not touched by it.
    other = world["tree"].provinces[1]
    assert NOTICE not in _page(client, world, other).text

    for callback in queued:  # the task, run as Celery would after commit
        callback()
    job.refresh_from_db()
    assert job.finished_at is not None and job.done == job.total > 2
    assert _province_in_scope(world) > before
    _assert_same(world)
    assert NOTICE not in _page(client, world, world["tree"].communes[0]).text


def test_while_running_the_page_shows_progress_and_an_end_time(world, client):
    with BIG:
        job = _assign_province(world)
    job = RefreshJob.objects.get()
    now = timezone.now()
    RefreshJob.objects.filter(pk=job.pk).update(
        started_at=now - timedelta(minutes=10),
        heartbeat_at=now,
        done=250_000,
        total=1_000_000,
    )
    page = _page(client, world, world["tree"].provinces[0])
    assert "Số liệu đang cập nhật — đến khoảng " in page.text
    assert "Đã tính lại 250000/1000000 học viên" in page.text
    notice = refresh_jobs.refresh_notice_get(unit=world["tree"].provinces[0], now=now)
    # A quarter done in ten minutes: the rest in thirty.
    assert notice.ends_at == now + timedelta(minutes=30)
    assert notice.percent == 25


def test_a_small_assignment_stays_in_the_request(world):
    _history(world)
    _assign_province(world)  # eight learners, under the default threshold
    assert not RefreshJob.objects.exists()
    _assert_same(world)


def test_a_big_unassignment_also_goes_to_the_background(
    world, django_capture_on_commit_callbacks
):
    _history(world)
    assignment = _assign_province(world)
    counted = _province_in_scope(world)
    with BIG, django_capture_on_commit_callbacks(execute=True):
        assignment_delete(assignment=assignment)
    job = RefreshJob.objects.get()
    assert job.reason.startswith("Bỏ giao") and job.finished_at is not None
    assert _province_in_scope(world) < counted
    _assert_same(world)


def test_a_lost_task_is_run_by_the_sweep_and_an_interrupted_one_resumes(
    world, monkeypatch
):
    _history(world)
    with BIG:
        _assign_province(world)  # the task is never sent (no commit here)
    job = RefreshJob.objects.get()
    # Too early: the task sent at commit may still be on its way.
    assert refresh_jobs.refresh_jobs_resume(now=job.created_at) == 0

    # A worker dies after its first batch (two learners).
    monkeypatch.setattr(maintained, "BATCH", 2)
    real, calls = maintained.learners_refresh, []

    def dies_second_time(**kwargs):
        calls.append(kwargs["user_ids"])
        if len(calls) == 2:
            raise SystemExit("worker killed")
        real(**kwargs)

    monkeypatch.setattr(maintained, "learners_refresh", dies_second_time)
    with pytest.raises(SystemExit):
        refresh_jobs.refresh_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.done, job.after_user_id, job.finished_at) == (2, calls[0][-1], None)
    # Its lease holds: neither the sweep nor a second delivery takes it over.
    assert refresh_jobs.refresh_jobs_resume(now=job.heartbeat_at) == 0
    refresh_jobs.refresh_job_run(job_id=job.pk, now=job.heartbeat_at)
    assert RefreshJob.objects.get().done == 2

    monkeypatch.setattr(maintained, "learners_refresh", real)
    # Six minutes later its lease has lapsed: the sweep sends it again (the
    # task runs eagerly here).
    RefreshJob.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=6))
    assert refresh_jobs.refresh_jobs_resume() == 1
    job.refresh_from_db()
    assert job.finished_at is not None and job.runs == 2
    # Resumed after the first batch: those two learners were not read again.
    assert job.done == job.total
    _assert_same(world)


# --- Changes the services do not make ------------------------------------------------


def test_an_account_deleted_outright_leaves_the_counters(world):
    _history(world)
    learner = world["learners"][0]
    assert LearnerFact.objects.filter(user=learner).exists()
    before = maintained.in_scope_count(
        unit=world["tree"].provinces[0], subject=world["subjects"][-1], audience=""
    )
    User.objects.filter(pk=learner.pk).delete()
    _assert_same(world)
    after = maintained.in_scope_count(
        unit=world["tree"].provinces[0], subject=world["subjects"][-1], audience=""
    )
    assert after == before - 1


def test_a_team_deleted_in_the_cms_takes_its_assignment_with_it(world):
    # Its members (two learners and the leader) count in the programme
    # through the team alone.
    team = world["tree"].teams[world["tree"].villages[0].code]
    members = team.memberships.count()
    before = maintained.in_scope_count(
        unit=world["tree"].provinces[0], subject=world["subjects"][-1], audience=""
    )
    team.delete()  # as the CMS's delete view does
    _assert_same(world)
    after = maintained.in_scope_count(
        unit=world["tree"].provinces[0], subject=world["subjects"][-1], audience=""
    )
    assert members == 3 and after == before - members


def _publish_courses(world, courses) -> None:
    """As the CMS's editor does: a new revision with this course list; the
    oracle's subjects read again (which course is in which programme)."""
    programme = ProgrammePage.objects.get(pk=world["programme"].pk)
    programme.programme_courses = [
        ProgrammeCourse(course=c, sort_order=i) for i, c in enumerate(courses)
    ]
    programme.save_revision().publish()
    world["subjects"] = [subject_get(kind=s.kind, pk=s.pk) for s in world["subjects"]]


def test_a_course_taken_out_of_a_programme_in_the_cms(world):
    _history(world)
    # Someone passes course 1 only: the programme of course 1 alone is done.
    learner = world["learners"][3]
    enrolment_create(user=learner, course=world["courses"][0])
    for lesson in world["lessons"][world["courses"][0].pk]:
        lesson_complete(user=learner, lesson=lesson)
    _publish_courses(world, world["courses"][:1])
    _assert_same(world)
    _publish_courses(world, world["courses"])
    _assert_same(world)


def test_a_course_added_to_a_programme_reaches_its_enrolled_learners(world):
    _publish_courses(world, world["courses"][:1])
    learner = world["learners"][5]
    enrolment_create(user=learner, course=world["courses"][1])
    assert not LearnerFact.objects.filter(
        user=learner, kind="programme", subject_id=world["programme"].pk
    ).exists()
    _publish_courses(world, world["courses"])
    assert LearnerFact.objects.filter(
        user=learner, kind="programme", subject_id=world["programme"].pk
    ).exists()
    _assert_same(world)


def test_a_big_programme_change_is_one_job_for_the_whole_publish(
    world, django_capture_on_commit_callbacks
):
    _history(world)
    assert Enrolment.objects.exists()
    with override_settings(REPORTS_REFRESH_INLINE_MAX=0):
        with django_capture_on_commit_callbacks() as queued:
            _publish_courses(world, [])
        job = RefreshJob.objects.get()
        assert sorted(job.course_ids) == sorted(c.pk for c in world["courses"])
        assert job.scope_path == "" and "Chương trình thử" in job.reason
        for callback in queued:
            callback()
    assert RefreshJob.objects.get().finished_at is not None
    _assert_same(world)
