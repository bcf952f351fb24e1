"""Campaign pages under /quan-tri/: created on a province's or a commune's
page, for units of that subtree only; hostile input in every field gets a
Vietnamese message and writes nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.campaigns.models import Campaign
from hocvuso.campaigns.services import campaign_create

pytestmark = pytest.mark.django_db


def _valid(units) -> dict:
    today = timezone.localdate()
    return {
        "name": "Ngày hội toàn dân học tập số 10/10",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
        "programme": "",
        "goal_completions": "500",
        "goals": "Mỗi hộ gia đình có một người biết dùng dịch vụ công trực tuyến.",
        "units": [u.code for u in units],
    }


def test_a_commune_admin_creates_and_edits_a_campaign(client, org_tree):
    commune = org_tree.communes[0]
    client.force_login(org_tree.admins["commune0.0"])
    villages = org_tree.villages[:2]
    response = client.post(
        reverse("campaign_add", args=[commune.code]), _valid(villages)
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign_edit", args=[campaign.pk])
    assert campaign.owner_unit == commune
    assert set(campaign.units.all()) == set(villages)
    assert campaign.goal_completions == 500
    data = _valid([commune]) | {"name": "Tháng hành động", "goal_completions": ""}
    client.post(reverse("campaign_edit", args=[campaign.pk]), data)
    campaign.refresh_from_db()
    assert campaign.name == "Tháng hành động"
    assert campaign.goal_completions is None
    assert list(campaign.units.all()) == [commune]
    page = client.get(reverse("campaign_list")).content.decode()
    assert "Tháng hành động" in page


def test_a_village_page_has_no_campaign_form(client, org_tree):
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("campaign_add", args=[org_tree.villages[0].code])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("label", "unit_index"),
    [("commune0.1", 0), ("province1", 0), ("learner", 0), ("team_leader", 0)],
)
def test_others_cannot_see_or_edit_a_communes_campaign(
    client, org_tree, label, unit_index
):
    commune = org_tree.communes[unit_index]
    campaign = campaign_create(
        created_by=org_tree.admins["commune0.0"],
        owner_unit=commune,
        name="Chiến dịch xã",
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 10),
        units=[commune],
    )
    client.force_login(org_tree.admins[label])
    url = reverse("campaign_edit", args=[campaign.pk])
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, _valid([commune]) | {"name": "Đổi tên"})
    assert response.status_code in (403, 404)
    campaign.refresh_from_db()
    assert campaign.name == "Chiến dịch xã"
    if label.startswith(("commune", "province")):
        assert (
            "Chiến dịch xã" not in client.get(reverse("campaign_list")).content.decode()
        )


def test_the_province_admin_manages_a_communes_campaign(client, org_tree):
    commune = org_tree.communes[0]
    campaign = campaign_create(
        created_by=org_tree.admins["commune0.0"],
        owner_unit=commune,
        name="Chiến dịch xã",
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 10),
        units=[commune],
    )
    client.force_login(org_tree.admins["province0"])
    assert client.get(reverse("campaign_edit", args=[campaign.pk])).status_code == 200


HOSTILE_TEXT = [
    "",
    "   ",
    "\x00",
    "Ngày\x00hội",
    "a" * 10_000,
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "+1",
    "@SUM(A1)",
    "\u202egnp.exe",
]
HOSTILE = {
    "name": HOSTILE_TEXT,
    "goals": ["\x00", "a" * 10_000, "Mục tiêu\x00"],
    "starts_on": ["", "abc", "2026-02-30", "0001-01-01", "9999-12-31", "\x00", "١٢"],
    "ends_on": ["", "abc", "0001-01-01", "9999-12-31", "\x00", "2000-01-01"],
    "goal_completions": ["0", "-1", "1.5", "abc", "9" * 40, "\x00", "١٢"],
    "programme": ["abc", "999999", "\x00", "9" * 40],
    "units": [[], ["99999"], ["\x00"], [""], ["9" * 300]],
}


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, values in HOSTILE.items() for value in values],
)
def test_hostile_value_gets_a_vietnamese_message(client, org_tree, field, value):
    commune = org_tree.communes[0]
    client.force_login(org_tree.admins["commune0.0"])
    data = _valid([commune])
    data[field] = value
    response = client.post(reverse("campaign_add", args=[commune.code]), data)
    assert response.status_code == 400, (field, value)
    page = response.content.decode()
    assert 'role="alert"' in page
    assert not Campaign.objects.exists()
    for english in ("Enter a valid", "This field", "Null characters", "Select a"):
        assert english not in page


def test_reversed_dates_are_refused(client, org_tree):
    commune = org_tree.communes[0]
    client.force_login(org_tree.admins["commune0.0"])
    data = _valid([commune]) | {"starts_on": "2026-10-10", "ends_on": "2026-10-01"}
    response = client.post(reverse("campaign_add", args=[commune.code]), data)
    assert response.status_code == 400
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_commune_admin_cannot_take_in_another_communes_village(client, org_tree):
    commune = org_tree.communes[0]
    client.force_login(org_tree.admins["commune0.0"])
    data = _valid([org_tree.villages[3]])  # commune 0.1's
    response = client.post(reverse("campaign_add", args=[commune.code]), data)
    assert response.status_code == 400
    assert "Đơn vị tham gia không hợp lệ." in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("pk", ["0", "9223372036854775808", "9" * 40])
def test_an_impossible_campaign_id_is_a_404(client, org_tree, pk):
    client.force_login(org_tree.admins["province0"])
    client.raise_request_exception = False
    assert client.get(f"/quan-tri/chien-dich/{pk}/").status_code == 404
    assert client.post(f"/quan-tri/chien-dich/{pk}/", {}).status_code == 404
