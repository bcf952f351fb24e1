"""Issue 24, finding 3: a frozen quarter is labelled with that quarter, a
future or unfinished quarter cannot be frozen, and a wrong freeze can be
replaced (confirmed, recorded who and when)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.reports.models import ReportSnapshot
from hocvuso.reports.periods import quarter_last_ended, quarter_of
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def freeze(client, org_tree, dataset):
    """POST a freeze from the commune's report filtered "all time"."""
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_snapshot_create", args=[org_tree.communes[0].code])
    query = f"?subject=programme:{dataset.programme.pk}&audience=&quarter="

    def post(quarter: str, **extra):
        return client.post(url + query, {"quarter": quarter, **extra}, follow=True)

    return post


def test_a_frozen_quarter_is_labelled_with_that_quarter_not_the_page_filter(
    client, freeze
):
    quarter = quarter_last_ended(timezone.localdate())
    page = freeze(quarter)
    assert page.status_code == 200
    snapshot = ReportSnapshot.objects.get()
    assert ["Thời gian", quarter] in snapshot.filters
    assert "Toàn bộ thời gian" not in page.text
    assert f"Thời gian: {quarter}" in page.text
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("report_snapshot_xlsx", args=[snapshot.pk])).content
        )
    )
    labels = {
        row[0]: row[1]
        for row in book.worksheets[0].iter_rows(max_row=6, values_only=True)
        if row and row[0]
    }
    assert labels["Thời gian"] == quarter
    villages = list(book.worksheets[1].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(villages) if r and r[0] == "Mã đơn vị")
    assert villages[at][2] == "Đơn vị cấp trên"
    assert {r[2] for r in villages[at + 1 : -1]} == {snapshot.unit.name}


@pytest.mark.parametrize(
    "which,message",
    [("current", "chưa kết thúc"), ("future", "chưa bắt đầu")],
)
def test_an_unfinished_or_future_quarter_is_not_frozen(freeze, which, message):
    today = timezone.localdate()
    quarter = quarter_of(today) if which == "current" else f"{today.year + 1}-Q2"
    page = freeze(quarter)
    assert page.status_code == 200
    assert f"Quý {quarter} {message}" in page.text
    assert not ReportSnapshot.objects.exists()


def test_a_wrong_freeze_is_replaced_after_a_confirmation(client, org_tree, freeze):
    quarter = quarter_last_ended(timezone.localdate())
    freeze(quarter)
    first = ReportSnapshot.objects.get()
    again = freeze(quarter)
    assert again.status_code == 409
    assert "đã được" in again.text and "Chốt lại, thay bản cũ" in again.text
    assert ReportSnapshot.objects.count() == 1

    replaced = freeze(quarter, replace="1")
    assert replaced.status_code == 200
    first.refresh_from_db()
    second = ReportSnapshot.objects.exclude(pk=first.pk).get()
    assert first.replaced_by == org_tree.admins["commune0.0"]
    assert first.replaced_at is not None and first.replaced_at >= first.created_at
    assert second.replaced_at is None
    old_page = client.get(reverse("report_snapshot", args=[first.pk]))
    assert "đã được" in old_page.text and "chốt lại lúc" in old_page.text
    report = client.get(reverse("report_unit", args=[org_tree.communes[0].code]))
    assert reverse("report_snapshot", args=[second.pk]) in report.text
    assert reverse("report_snapshot", args=[first.pk]) not in report.text


@pytest.mark.parametrize(
    "quarter", ["", "2026-Q9", "x" * 5000, "\x00", "９９９９-Q1", "9999-Q4"]
)
def test_a_hostile_quarter_answers_with_a_message(freeze, quarter):
    page = freeze(quarter)
    assert page.status_code == 200
    assert "Quý không hợp lệ" in page.text
    assert not ReportSnapshot.objects.exists()
