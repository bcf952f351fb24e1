"""The class report feeds the quarterly snapshot: the quarter's classes on
the subject, per unit below the snapshot's, frozen with it."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.reports.models import ReportSnapshot
from hocvuso.reports.periods import quarter_last_ended, quarter_parse
from hocvuso.training.models import TrainingClass
from hocvuso.training.selectors import quarter_training_figures
from hocvuso.training.services import (
    attendance_mark,
    attendance_unmark,
    training_class_cancel,
)
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def _held_last_quarter(training_class, *, day: int = 10):
    """Moves the class into the quarter that ended last (freezable)."""
    period = quarter_parse(quarter_last_ended(timezone.localdate()))
    start = timezone.make_aware(
        datetime.combine(period.start + timedelta(days=day), time(8))
    )
    TrainingClass.objects.filter(pk=training_class.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=3)
    )
    training_class.refresh_from_db()
    return training_class


@pytest.fixture
def quarter_classes(make_class, members, org_tree, make_learner, courses):
    """Course 0's class last quarter: village 0 has 3 invited (leader and two
    members), one present; village 1 one invited, present; a walk-in from
    village 2. Also a cancelled class and a class on course 1 (not counted
    in course 0's snapshot)."""
    held = make_class()
    cancelled = make_class(title="Lớp đã hủy")
    training_class_cancel(
        training_class=cancelled,
        cancelled_by=org_tree.admins["commune0.0"],
        reason="Mưa bão",
    )
    other = make_class(title="Lớp khóa khác", course=courses[1])
    for training_class in (held, cancelled, other):
        _held_last_quarter(training_class)
    walk_in = make_learner(unit=org_tree.villages[2])
    for person in (members[0], members[2], walk_in):
        attendance_mark(training_class=held, user=person, method="manual")
    attendance_mark(training_class=other, user=members[1], method="manual")
    return held


def _figures(training: dict) -> dict:
    keys = ("classes", "invited", "present", "absent", "walk_ins")
    return {
        row["name"]: tuple(row[k] for k in keys)
        for row in [*training["rows"], training["total"]]
    }


EXPECTED_V = [(1, 3, 1, 2, 0), (1, 1, 1, 0, 0), (1, 0, 0, 0, 1)]


def _freeze(client, org_tree, course):
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_snapshot_create", args=[org_tree.communes[0].code])
    return client.post(
        f"{url}?subject=course:{course.pk}&audience=&quarter=",
        {"quarter": quarter_last_ended(timezone.localdate())},
        follow=True,
    )


def test_a_snapshot_freezes_the_quarters_classes_per_unit(
    client, org_tree, villages, courses, quarter_classes, members
):
    page = _freeze(client, org_tree, courses[0])
    assert page.status_code == 200
    snapshot = ReportSnapshot.objects.get()
    expected = {v.name: e for v, e in zip(villages, EXPECTED_V, strict=True)}
    expected[org_tree.communes[0].name] = (1, 4, 2, 2, 1)
    assert _figures(snapshot.training) == expected
    text = page.content.decode()
    assert "Lớp tập huấn trong quý" in text
    assert f'<tr data-code="{villages[0].code}"><th scope="row">' in text

    # Attendance changed after the freeze: the snapshot keeps its figures,
    # on the page and in the XLSX, while a new computation sees the change.
    attendance_unmark(training_class=quarter_classes, user_id=members[0].pk)
    attendance_mark(training_class=quarter_classes, user=members[1], method="manual")
    snapshot.refresh_from_db()
    assert _figures(snapshot.training) == expected
    period = quarter_parse(snapshot.quarter)
    now_figures = quarter_training_figures(
        unit=org_tree.communes[0],
        course_ids=[courses[0].pk],
        start=period.start,
        end=period.end,
    )
    assert _figures(now_figures)[villages[0].name] == (1, 3, 1, 2, 0)  # swapped
    assert _figures(now_figures)[villages[1].name] == (1, 1, 1, 0, 0)
    page = client.get(reverse("report_snapshot", args=[snapshot.pk])).content.decode()
    total = page[page.index('id="snapshot-training"') :]
    assert (
        '<td class="num">4</td><td class="num">2</td><td class="num">2</td>'
        in (total[total.index('data-code="total"') :])
    )
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("report_snapshot_xlsx", args=[snapshot.pk])).content
        )
    )
    sheet = book["Lớp tập huấn"]
    rows = list(sheet.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and r[0] == "Mã đơn vị")
    assert rows[at + 1][2:] == (1, 4, 2, 2, 1)
    assert [r[2:] for r in rows[at + 2 :]] == EXPECTED_V


def test_the_other_courses_class_is_in_its_own_snapshot_only(
    client, org_tree, villages, courses, quarter_classes
):
    _freeze(client, org_tree, courses[1])
    snapshot = ReportSnapshot.objects.get()
    assert _figures(snapshot.training)[org_tree.communes[0].name] == (1, 4, 1, 3, 0)


def test_a_class_in_the_current_quarter_waits_for_its_quarter(
    client, org_tree, courses, make_class, members
):
    training_class = make_class()  # in ten days
    attendance_mark(training_class=training_class, user=members[0], method="manual")
    _freeze(client, org_tree, courses[0])
    training = ReportSnapshot.objects.get().training
    assert training["total"]["classes"] == 0 and training["total"]["invited"] == 0


def test_another_communes_people_are_not_in_this_communes_figures(
    org_tree, courses, quarter_classes
):
    period = quarter_parse(quarter_last_ended(timezone.localdate()))
    figures = quarter_training_figures(
        unit=org_tree.communes[1],
        course_ids=[courses[0].pk],
        start=period.start,
        end=period.end,
    )
    assert figures["total"]["classes"] == 0 and figures["total"]["invited"] == 0
