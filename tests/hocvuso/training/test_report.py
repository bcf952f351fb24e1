"""The report after a class: invited, present, absent, late and walk-ins per
invited unit, and attendees who finished the course within N days; the same
figures in the XLSX."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.training import checkin
from hocvuso.training.models import TrainingClass
from hocvuso.training.selectors import class_report
from hocvuso.training.services import attendance_mark
from openpyxl import load_workbook

from courses.models import CourseCompletion, ProgrammeCourse, ProgrammePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_class(make_class, members, org_tree, make_learner, courses):
    """Village 0: 3 invited (the leader and two members), one present;
    village 1: one invited, present late; a walk-in from village 2."""
    training_class = make_class()
    start = timezone.now() - timedelta(days=1)
    TrainingClass.objects.filter(pk=training_class.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=3)
    )
    training_class.refresh_from_db()
    walk_in = make_learner(unit=org_tree.villages[2])
    attendance_mark(
        training_class=training_class, user=members[0], method="qr", now=start
    )
    attendance_mark(
        training_class=training_class,
        user=members[2],
        method="qr",
        now=start + timedelta(minutes=40),
    )
    attendance_mark(
        training_class=training_class, user=walk_in, method="manual", now=start
    )
    ends = training_class.ends_at
    for user, after in ((members[0], 5), (walk_in, 45), (members[1], 1)):
        CourseCompletion.objects.create(
            user=user, course=courses[0], completed_at=ends + timedelta(days=after)
        )
    return training_class


def _figures(report):
    return {
        row.name: (
            row.invited,
            row.present,
            row.absent,
            row.late,
            row.walk_ins,
            row.finished,
        )
        for row in [*report.rows, report.total]
    }


def test_report_counts_per_unit(held_class, org_tree):
    v0, v1 = org_tree.villages[0].name, org_tree.villages[1].name
    assert _figures(class_report(training_class=held_class, days=30)) == {
        v0: (3, 1, 2, 0, 0, 1),
        v1: (1, 1, 0, 1, 0, 0),
        "Ngoài các đơn vị được mời": (0, 0, 0, 0, 1, 0),
        "Tổng cộng": (4, 2, 2, 1, 1, 1),
    }
    # Members[1] finished too, but was absent; the walk-in finished on day 45.
    assert _figures(class_report(training_class=held_class, days=60))["Tổng cộng"] == (
        4,
        2,
        2,
        1,
        1,
        2,
    )


def test_a_programme_counts_only_those_who_finished_every_course(
    make_class, members, courses
):
    programme = ProgrammePage.objects.order_by("path").first()
    for i, course in enumerate(courses):
        ProgrammeCourse.objects.create(programme=programme, course=course, sort_order=i)
    training_class = make_class(course=None, programme=programme)
    attendance_mark(training_class=training_class, user=members[0], method="manual")
    attendance_mark(training_class=training_class, user=members[1], method="manual")
    at = training_class.ends_at + timedelta(days=1)
    for course in courses:
        CourseCompletion.objects.create(user=members[0], course=course, completed_at=at)
    CourseCompletion.objects.create(user=members[1], course=courses[0], completed_at=at)
    report = class_report(training_class=training_class, days=30)
    assert report.total.finished == 1


def test_report_page_and_xlsx_show_the_same_counts(client, org_tree, held_class):
    client.force_login(org_tree.admins["commune0.0"])
    page = client.get(reverse("training_class_report", args=[held_class.pk]))
    assert page.status_code == 200
    assert "Ngoài các đơn vị được mời" in page.content.decode()
    response = client.get(
        reverse("training_class_report_xlsx", args=[held_class.pk]), {"ngay": "60"}
    )
    assert response["Content-Disposition"].startswith(
        'attachment; filename="bao-cao-lop-'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[:2] == ["Mã đơn vị", "Đơn vị"])
    assert "Hoàn thành khóa học trong 60 ngày sau lớp" in rows[header]
    body = {r[1]: r[2:] for r in rows[header + 1 :]}
    v0 = org_tree.villages[0].name
    assert body[v0] == [3, 1, 2, 0, 0, 1]
    assert body["Tổng cộng"] == [4, 2, 2, 1, 1, 2]


@pytest.mark.parametrize("days", ["", "abc", "-5", "0", "99999", "\x00", "١٢"])
def test_hostile_day_counts_fall_back_to_a_sane_value(
    client, org_tree, held_class, days
):
    client.force_login(org_tree.admins["commune0.0"])
    for name in ("training_class_report", "training_class_report_xlsx"):
        response = client.get(reverse(name, args=[held_class.pk]), {"ngay": days})
        assert response.status_code == 200


def test_a_formula_looking_title_is_not_live_in_the_xlsx(client, org_tree, held_class):
    TrainingClass.objects.filter(pk=held_class.pk).update(trainer="=1+1")
    client.force_login(org_tree.admins["commune0.0"])
    response = client.get(reverse("training_class_report_xlsx", args=[held_class.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=1+1"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_report_and_check_in_queries_do_not_grow_with_attendees(
    client,
    make_class,
    org_tree,
    make_learner,
    courses,
    django_assert_max_num_queries,
):
    training_class = make_class()
    now = timezone.now()
    TrainingClass.objects.filter(pk=training_class.pk).update(
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1)
    )
    training_class.refresh_from_db()
    for n in range(40):
        person = make_learner(unit=org_tree.villages[n % 3])
        attendance_mark(training_class=training_class, user=person, method="manual")
        CourseCompletion.objects.create(
            user=person, course=courses[0], completed_at=now
        )
    with django_assert_max_num_queries(6):
        report = class_report(training_class=training_class, days=30)
    assert report.total.walk_ins + report.total.present == 40
    assert report.total.finished == 40
    late_comer = make_learner(unit=org_tree.villages[0])
    client.force_login(late_comer)
    url = reverse("training_checkin") + "?t=" + checkin.qr_token(training_class.pk)
    with django_assert_max_num_queries(12) as queries:
        assert client.get(url).status_code == 200
    print(f"check-in by QR: {len(queries)} queries")
