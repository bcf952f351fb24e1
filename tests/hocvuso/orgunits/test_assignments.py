"""Assignments with due dates, reminders before the due date, and targets."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts import sms
from hocvuso.orgunits.models import Assignment, AssignmentReminder, UnitTarget
from hocvuso.orgunits.selectors import assignment_due_dates
from hocvuso.orgunits.services import (
    assignment_create,
    assignment_reminders_send,
    team_membership_set,
)

from courses.models import CoursePage, LessonPage, ProgrammeCourse, ProgrammePage
from courses.services import enrolment_create, lesson_complete

from ...page_state_helpers import page_state

pytestmark = pytest.mark.django_db


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def catalog(build_catalog):
    build_catalog(courses=3, lessons=2)
    courses = list(CoursePage.objects.order_by("topic_number"))
    programme = ProgrammePage.objects.order_by("path").first()
    for i, course in enumerate(courses[:2]):
        ProgrammeCourse.objects.create(programme=programme, course=course, sort_order=i)
    return courses, programme


def test_learners_see_required_courses_with_their_due_date(
    client, org_tree, catalog, make_learner
):
    courses, programme = catalog
    today = timezone.localdate()
    village = org_tree.villages[0]  # in commune 0.0
    learner = make_learner(unit=village)
    team = org_tree.teams[org_tree.villages[1].code]
    team_membership_set(team_id=team.pk, user=learner)
    by_commune = today + timedelta(days=30)
    by_team = today + timedelta(days=10)
    assignment_create(
        created_by=None,
        programme=programme,
        unit=org_tree.communes[0],
        starts_on=today,
        due_on=by_commune,
    )
    assignment_create(
        created_by=None, course=courses[2], team=team, starts_on=today, due_on=by_team
    )
    # None of these reach the learner: another commune (same programme, an
    # earlier date), and an assignment that has not started yet.
    assignment_create(
        created_by=None,
        programme=programme,
        unit=org_tree.communes[1],
        starts_on=today,
        due_on=today + timedelta(days=2),
    )
    assignment_create(
        created_by=None,
        course=courses[2],
        unit=village,
        starts_on=today + timedelta(days=1),
        due_on=today + timedelta(days=3),
    )
    assert assignment_due_dates(user=learner) == {
        courses[0].pk: by_commune,
        courses[1].pk: by_commune,
        courses[2].pk: by_team,
    }
    client.force_login(learner)
    page = client.get(reverse("my_courses")).text
    # Required courses appear before the learner enrols in them.
    assert page.count(f"Bắt buộc — hạn {_dmy(by_commune)}") == 2
    assert page.count(f"Bắt buộc — hạn {_dmy(by_team)}") == 1
    # The catalogue is shared by every reader: the learner's due dates come
    # with its personal state.
    catalog_cards = page_state(client, courses[0].get_parent())["parts"]["courses"]
    assert f"Bắt buộc — hạn {_dmy(by_commune)}" in catalog_cards
    assert "Bắt buộc" not in client.get(courses[0].get_parent().url).text

    neighbour = make_learner(unit=org_tree.villages[4])  # commune 0.1
    soon = today + timedelta(days=2)
    assert assignment_due_dates(user=neighbour) == {
        courses[0].pk: soon,
        courses[1].pk: soon,
    }
    outsider = make_learner(unit=org_tree.villages[9])  # another province
    assert assignment_due_dates(user=outsider) == {}


def test_reminders_go_once_to_learners_not_complete(
    org_tree, catalog, make_learner, django_capture_on_commit_callbacks
):
    courses, _programme = catalog
    commune = org_tree.communes[0]
    due = date(2026, 12, 20)
    assignment = assignment_create(
        created_by=None,
        course=courses[0],
        unit=commune,
        starts_on=date(2026, 12, 1),
        due_on=due,
        remind_days_before=3,
    )
    late = make_learner(unit=org_tree.villages[0])
    finished = make_learner(unit=commune)
    enrolment_create(user=finished, course=courses[0])
    for lesson in LessonPage.objects.child_of(courses[0]).order_by("path"):
        lesson_complete(user=finished, lesson=lesson)
    make_learner(unit=org_tree.villages[4])  # another commune

    assert assignment_reminders_send(today=due - timedelta(days=4)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert assignment_reminders_send(today=due - timedelta(days=3)) == 1
    assert [m.to for m in sms.outbox] == [late.phone]
    assert "trước ngày 20/12/2026" in sms.outbox[0].text
    assert assignment_reminders_send(today=due - timedelta(days=2)) == 0
    assert assignment_reminders_send(today=due) == 0
    assert assignment_reminders_send(today=due + timedelta(days=1)) == 0
    assert len(sms.outbox) == 1
    with pytest.raises(IntegrityError):
        AssignmentReminder.objects.create(
            assignment=assignment, user=late, due_on=due, sent_at=timezone.now()
        )


def test_assignment_and_target_forms(client, org_tree, catalog):
    courses, programme = catalog
    commune = org_tree.communes[0]
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("unit_assignment_add", args=[commune.code])
    response = client.post(
        url,
        {
            "what": f"c{courses[0].pk}",
            "starts_on": "2026-12-10",
            "due_on": "2026-12-01",
            "remind_days_before": "3",
        },
    )
    assert response.status_code == 400
    assert "Hạn hoàn thành không được trước ngày bắt đầu." in response.text
    response = client.post(url, {"what": "", "starts_on": "x", "due_on": ""})
    assert "Ngày không hợp lệ." in response.text
    assert not Assignment.objects.exists()

    team = org_tree.teams[commune.code]
    response = client.post(
        url,
        {
            "what": f"p{programme.pk}",
            "team": str(team.pk),
            "starts_on": "2026-12-01",
            "due_on": "2026-12-31",
            "remind_days_before": "5",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.team, assignment.unit, assignment.programme) == (
        team,
        None,
        programme,
    )
    page = client.get(reverse("unit_admin_detail", args=[commune.code])).text
    assert programme.title in page and "01/12/2026 – 31/12/2026" in page

    target_url = reverse("unit_target_set", args=[commune.code])
    client.post(target_url, {"programme": str(programme.pk), "learners": "120"})
    client.post(target_url, {"programme": str(programme.pk), "learners": "150"})
    target = UnitTarget.objects.get()
    assert (target.unit, target.programme, target.learners) == (
        commune,
        programme,
        150,
    )
    response = client.post(target_url, {"programme": str(programme.pk)})
    assert "Hãy nhập số học viên chỉ tiêu." in response.text

    # "Bỏ giao" asks first (a link to a confirmation page, no script needed).
    remove_url = reverse("unit_assignment_remove", args=[assignment.pk])
    page = client.get(reverse("unit_admin_detail", args=[commune.code])).text
    assert f'href="{remove_url}"' in page
    confirm = client.get(remove_url)
    assert confirm.status_code == 200
    assert "Bỏ giao khóa học?" in confirm.text
    assert programme.title in confirm.text and "01/12/2026 – 31/12/2026" in confirm.text
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    client.post(remove_url)
    assert not Assignment.objects.exists()
