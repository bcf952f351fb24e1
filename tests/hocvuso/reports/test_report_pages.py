"""The pages an admin uses: report, drill-down, exports, learner list,
snapshot; each refused outside the admin's subtree."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.reports.masking import phone_masked, phone_visible
from hocvuso.reports.periods import PeriodError, quarter_parse
from openpyxl import load_workbook

from courses.models import CourseCompletion, Enrolment

pytestmark = pytest.mark.django_db


def _q(data):
    return f"subject=programme:{data.programme.pk}&audience="


def test_province_report_drills_to_a_commune_and_xlsx_equals_the_page(
    client, org_tree, dataset
):
    client.force_login(org_tree.admins["province0"])
    province = org_tree.provinces[0]
    page = client.get(reverse("report_unit", args=[province.code]) + "?" + _q(dataset))
    assert page.status_code == 200
    commune = org_tree.communes[0]
    assert reverse("report_unit", args=[commune.code]) in page.text
    drilled = client.get(
        reverse("report_unit", args=[commune.code]) + "?" + _q(dataset)
    )
    assert drilled.status_code == 200
    village = org_tree.villages[0]
    assert reverse("report_learners", args=[village.code]) in drilled.text
    ctx = page.context
    response = client.get(
        reverse("report_xlsx", args=[province.code]) + "?" + _q(dataset)
    )
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames == ["Tỉnh", "Xã, phường", "Thôn, tổ dân phố"]
    rows = list(wb["Xã, phường"].iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Mã đơn vị")
    assert rows[header_at][2:4] == (
        "Đơn vị cấp trên",
        "Số học viên được giao / đăng ký",
    )
    assert any(r and r[0] == "Thời điểm lập báo cáo" for r in rows[:header_at])
    by_code = {r[0]: r for r in rows[header_at + 1 :]}
    for row in ctx["report"].rows:
        assert by_code[row.code][2] == province.name
        assert by_code[row.code][3] == row.figures.in_scope
        assert by_code[row.code][4] == row.figures.started
    total = rows[-1]
    assert total[1] == "Tổng cộng"
    assert total[3] == ctx["report"].total.figures.in_scope
    top = list(wb["Tỉnh"].iter_rows(values_only=True))[-1]
    assert top[2] == ctx["report"].total.figures.in_scope


def test_csv_has_vietnamese_headers_and_the_total(client, org_tree, dataset):
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_csv", args=[org_tree.communes[0].code]) + "?" + _q(dataset)
    text = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[next(i for i, r in enumerate(rows) if r and r[0] == "Mã đơn vị")][
        :3
    ] == ["Mã đơn vị", "Đơn vị", "Số học viên được giao / đăng ký"]
    assert rows[-1][1] == "Tổng cộng"


def test_sorting_by_completion_rate(client, org_tree, dataset):
    client.force_login(org_tree.admins["province0"])
    url = reverse("report_unit", args=[org_tree.provinces[0].code])
    page = client.get(f"{url}?{_q(dataset)}&sort=started_pct&desc=1")
    rates = [r.sort_value("started_pct") for r in page.context["rows"]]
    assert rates == sorted(rates, reverse=True)


@pytest.mark.parametrize(
    "name,args",
    [
        ("report_unit", lambda t: [t.communes[1].code]),
        ("report_xlsx", lambda t: [t.communes[1].code]),
        ("report_csv", lambda t: [t.communes[1].code]),
        ("report_learners", lambda t: [t.villages[3].code]),
        ("report_live", lambda t: [t.communes[1].code]),
    ],
)
def test_a_commune_admin_cannot_open_another_commune(
    client, org_tree, dataset, name, args
):
    client.force_login(org_tree.admins["commune0.0"])
    response = client.get(reverse(name, args=args(org_tree)) + "?" + _q(dataset))
    assert response.status_code == 404


def test_learner_list_masks_phones_outside_the_own_commune(client, org_tree, dataset):
    village = org_tree.villages[0]  # in commune0.0
    url = reverse("report_learners", args=[village.code]) + "?" + _q(dataset)
    client.force_login(org_tree.admins["province0"])
    province_view = client.get(url)
    client.force_login(org_tree.admins["commune0.0"])
    commune_view = client.get(url)
    rows = commune_view.context["rows"]
    assert rows
    assert all(r.phone.startswith("+849") for r in rows)
    assert all("x" in r.phone for r in province_view.context["rows"])
    xlsx = client.get(url + "&format=xlsx")
    assert xlsx.status_code == 200


def test_snapshot_does_not_change_with_later_activity(client, org_tree, dataset):
    client.force_login(org_tree.admins["commune0.0"])
    commune = org_tree.communes[0]
    url = reverse("report_snapshot_create", args=[commune.code]) + "?" + _q(dataset)
    response = client.post(url, {"quarter": "2026-Q3"})
    assert response.status_code == 302
    snap = client.get(response["Location"])
    before = snap.context["levels"][0][1][0].figures
    CourseCompletion.objects.all().update(completed_at=timezone.now())
    again = client.get(response["Location"]).context["levels"][0][1][0].figures
    assert again == before
    # A second freeze of the same quarter asks for a confirmation first.
    assert client.post(url, {"quarter": "2026-Q3"}, follow=True).status_code == 409
    from hocvuso.reports.models import ReportSnapshot

    assert ReportSnapshot.objects.count() == 1
    snapshot = ReportSnapshot.objects.get()
    client.force_login(org_tree.admins["commune0.1"])
    assert client.get(reverse("report_snapshot", args=[snapshot.pk])).status_code == 404
    assert (
        client.get(reverse("report_snapshot_xlsx", args=[snapshot.pk])).status_code
        == 404
    )


def test_phone_masking_rule():
    assert phone_masked("+84912345678") == "+84 91x xxx x78"
    commune, village, other = "00010001", "000100010001", "00010002"
    assert (
        phone_visible(
            phone="+84912345678",
            learner_unit_path=village,
            admin_paths=[commune],
            steplen=4,
        )
        == "+84912345678"
    )
    assert (
        phone_visible(
            phone="+84912345678",
            learner_unit_path=village,
            admin_paths=["0001"],
            steplen=4,
        )
        != "+84912345678"
    )
    assert (
        phone_visible(
            phone="+84912345678",
            learner_unit_path=village,
            admin_paths=[other],
            steplen=4,
        )
        != "+84912345678"
    )


def test_quarter_parsing():
    p = quarter_parse("Q4/2026")
    assert (p.start.isoformat(), p.end.isoformat(), p.quarter) == (
        "2026-10-01",
        "2027-01-01",
        "2026-Q4",
    )
    assert quarter_parse("2026-q1").end.isoformat() == "2026-04-01"
    with pytest.raises(PeriodError):
        quarter_parse("2026-Q5")


def test_masked_phones_cannot_be_recovered_through_the_learner_search(
    client, org_tree, dataset
):
    """Issue 14.7: `q` matched the raw number, so a viewer who sees it masked
    could read it back one digit at a time. The number is searched only where
    the viewer may see it in full."""
    learner = User.objects.create_user(
        username="so_an",
        full_name="Người Có Số Ẩn",
        phone="+84987654321",
        unit=org_tree.villages[0],  # in commune0.0
    )
    now = timezone.now()
    Enrolment.objects.create(
        user=learner, course=dataset.courses[0], enrolled_at=now, last_activity_at=now
    )
    url = reverse("report_learners", args=[org_tree.villages[0].code])

    def found(label: str, q: str) -> bool:
        client.force_login(org_tree.admins[label])
        response = client.get(url + "?" + _q(dataset) + "&" + urlencode({"q": q}))
        assert response.status_code == 200
        return learner.pk in {row.pk for row in response.context["rows"]}

    # Hidden digits ("+84 98x xxx x21") and a guess at the next one.
    for q in ("765432", "98765", "4321"):
        assert not found("province0", q), q
        assert found("commune0.0", q), q
    assert found("province0", "Có Số")  # the name still finds them


@pytest.mark.parametrize(("page", "status"), [(str(10**20), 404), ("²", 200)])
def test_learner_list_page_number_that_overflows_answers_4xx_not_500(
    client, org_tree, dataset, page, status
):
    village = org_tree.villages[0]
    url = reverse("report_learners", args=[village.code]) + "?" + _q(dataset)
    client.force_login(org_tree.admins["commune0.0"])
    assert client.get(url + "&page=" + page).status_code == status
