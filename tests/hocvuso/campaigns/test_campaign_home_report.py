"""A running campaign on its learners' home page, and the completion report
restricted to a campaign (its dates, its units)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.campaigns.services import campaign_create
from hocvuso.core.demo import demo_site_seed
from hocvuso.reports.models import ExportJob
from hocvuso.reports.services import export_job_run

from .conftest import assign, figures_up, learners_add

pytestmark = pytest.mark.django_db


def _campaign(org_tree, units, *, days=(-1, 1), name="Ngày hội 10/10"):
    today = timezone.localdate()
    return campaign_create(
        created_by=org_tree.admins["province0"],
        owner_unit=org_tree.provinces[0],
        name=name,
        starts_on=today + timedelta(days=days[0]),
        ends_on=today + timedelta(days=days[1]),
        units=units,
        goal_completions=300,
        goals="Mỗi thôn một buổi hướng dẫn.",
    )


def test_learners_of_the_campaigns_units_see_it_on_the_home_page(
    client, org_tree, make_learner
):
    demo_site_seed()
    commune = org_tree.communes[0]
    _campaign(org_tree, [commune])
    _campaign(org_tree, [commune], days=(-10, -2), name="Chiến dịch đã qua")
    _campaign(org_tree, [commune], days=(2, 10), name="Chiến dịch sắp tới")
    inside = make_learner(unit=org_tree.villages[0])  # a village of the commune
    outside = make_learner(unit=org_tree.villages[3])  # another commune's
    client.force_login(inside)
    page = client.get("/").content.decode()
    assert "Ngày hội 10/10" in page and "Mỗi thôn một buổi hướng dẫn." in page
    assert "Chiến dịch đã qua" not in page and "Chiến dịch sắp tới" not in page
    client.force_login(outside)
    assert "Ngày hội 10/10" not in client.get("/").content.decode()
    client.logout()
    assert "Ngày hội 10/10" not in client.get("/").content.decode()


def test_the_report_restricted_to_a_campaign(client, org_tree, programme):
    province = org_tree.provinces[0]
    assign(province, programme)
    for commune, n in zip(org_tree.communes[:3], (4, 6, 8), strict=True):
        learners_add(commune, learners=n, completed=n // 2, programme=programme)
    # Two residents of the province who gave no commune: not in the campaign.
    learners_add(province, learners=2, completed=0, programme=programme)
    figures_up()
    chosen = org_tree.communes[:2]
    campaign = _campaign(org_tree, chosen, days=(-400, 10))
    client.force_login(org_tree.admins["province0"])
    url = reverse("report_unit", args=[province.code])
    assert 'data-code="direct"' in client.get(url).content.decode()
    page = client.get(url, {"campaign": campaign.pk}).content.decode()
    assert "Chiến dịch: Ngày hội 10/10" in page
    assert f'data-code="{chosen[0].code}"' in page
    assert f'data-code="{chosen[1].code}"' in page
    assert f'data-code="{org_tree.communes[2].code}"' not in page
    assert 'data-code="direct"' not in page
    # The total is the campaign's units' (4 + 6 learners, and the tree's team
    # leader and learner in a village of the first), not the province's 20.
    total = page.split('data-code="total"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'data-key="in_scope">\s*12\b', total), total
    # The campaign's dates are the period.
    start = (timezone.localdate() - timedelta(days=400)).strftime("%d/%m/%Y")
    assert start in page
    csv = b"".join(
        client.get(
            reverse("report_csv", args=[province.code]), {"campaign": campaign.pk}
        )
    ).decode("utf-8-sig")
    assert chosen[0].name in csv and org_tree.communes[2].name not in csv


@pytest.mark.parametrize(
    "value", ["abc", "\x00", "1\x00", "-1", "9" * 40, "x" * 10_000, "0"]
)
def test_a_hostile_campaign_filter_gets_a_message(client, org_tree, programme, value):
    client.force_login(org_tree.admins["province0"])
    url = reverse("report_unit", args=[org_tree.provinces[0].code])
    response = client.get(url, {"campaign": value})
    assert response.status_code == 200
    assert (
        "Không tìm thấy chiến dịch trong phạm vi của bạn." in response.content.decode()
    )


def test_another_provinces_campaign_is_refused_in_the_report(
    client, org_tree, programme
):
    other = campaign_create(
        created_by=org_tree.admins["province1"],
        owner_unit=org_tree.provinces[1],
        name="Chiến dịch tỉnh khác",
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 10),
        units=[org_tree.provinces[1]],
    )
    client.force_login(org_tree.admins["province0"])
    url = reverse("report_unit", args=[org_tree.provinces[0].code])
    page = client.get(url, {"campaign": other.pk}).content.decode()
    assert "Không tìm thấy chiến dịch trong phạm vi của bạn." in page
    assert "Chiến dịch tỉnh khác" not in page


def test_a_commune_admin_filters_by_the_provinces_campaign_for_their_commune(
    client, org_tree, programme
):
    commune = org_tree.communes[0]
    campaign = _campaign(org_tree, [commune])
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_unit", args=[commune.code])
    page = client.get(url, {"campaign": campaign.pk}).content.decode()
    assert "Chiến dịch: Ngày hội 10/10" in page


def _xlsx_codes(content: bytes) -> set[str]:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content), read_only=True)
    return {
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    }


def test_the_exports_keep_the_campaigns_units_only(
    client, org_tree, programme, settings
):
    province = org_tree.provinces[0]
    assign(province, programme)
    for commune in org_tree.communes[:3]:
        learners_add(commune, learners=3, completed=1, programme=programme)
    figures_up()
    campaign = _campaign(org_tree, org_tree.communes[:1], days=(-400, 10))
    client.force_login(org_tree.admins["province0"])
    query = {"campaign": campaign.pk}
    xlsx = client.get(reverse("report_xlsx", args=[province.code]), query)
    cells = _xlsx_codes(xlsx.content)
    assert org_tree.communes[0].name in cells
    assert org_tree.communes[1].name not in cells
    assert "Ngày hội 10/10" in " ".join(cells)
    # A large export is built by Celery from the stored filters: the same
    # restriction.
    settings.REPORTS_EXPORT_ASYNC_FROM = 1
    response = client.get(reverse("report_xlsx", args=[province.code]), query)
    assert response.status_code == 302
    job = export_job_run(job_id=ExportJob.objects.get().pk)
    assert job.status == "done", job.error
    with job.file.open("rb") as f:
        cells = _xlsx_codes(f.read())
    assert org_tree.communes[0].name in cells
    assert org_tree.communes[1].name not in cells


def test_a_quarter_frozen_from_a_campaigns_page_is_the_whole_units(
    client, org_tree, programme
):
    from hocvuso.reports.models import ReportSnapshot
    from hocvuso.reports.periods import quarter_last_ended

    province = org_tree.provinces[0]
    campaign = _campaign(org_tree, org_tree.communes[:1])
    client.force_login(org_tree.admins["province0"])
    url = reverse("report_snapshot_create", args=[province.code])
    quarter = quarter_last_ended(timezone.localdate())
    client.post(f"{url}?campaign={campaign.pk}", {"quarter": quarter})
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.quarter == quarter
    assert "Ngày hội 10/10" not in str(snapshot.filters)
    communes = [row for _name, rows in snapshot.levels[1:2] for row in rows]
    assert len(communes) == 3  # every commune of the province, not the campaign's
