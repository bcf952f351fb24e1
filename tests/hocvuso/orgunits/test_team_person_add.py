"""Issue 24.9: an official adds one person to a team from the team's page,
by the member import's rules (no spreadsheet)."""

import pytest
from django.urls import reverse
from hocvuso.accounts import sms
from hocvuso.accounts.models import LearnerType, User
from hocvuso.orgunits.models import TeamMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def village_team(org_tree):
    return org_tree.teams[org_tree.villages[1].code]  # Thôn 0.0.1, commune 90000


def _add(client, team, **data):
    return client.post(reverse("team_person_add", args=[team.pk]), data)


def _people():
    users = User.objects.order_by("pk")
    return list(
        users.values_list("phone", "full_name", "unit__code", "learner_type")
    ), list(TeamMembership.objects.order_by("pk").values_list("team", "user", "role"))


def test_a_commune_admin_adds_a_new_person(client, org_tree, village_team):
    client.force_login(org_tree.admins["commune0.0"])
    page = client.get(reverse("team_detail", args=[village_team.pk])).text
    assert "Thêm một người vào tổ" in page
    response = _add(
        client,
        village_team,
        full_name="  Nguyễn   Thị Hoa ",
        phone="0912 000 501",
        birth_year="1990",
    )
    assert response.status_code == 302
    page = client.get(response.url).text
    assert "Đã tạo tài khoản cho Nguyễn Thị Hoa" in page
    assert "Nguyễn Thị Hoa</strong>" in page
    person = User.objects.get(phone="+84912000501")
    assert person.full_name == "Nguyễn Thị Hoa" and person.birth_year == 1990
    assert person.unit == org_tree.villages[1]
    assert person.learner_type == LearnerType.TEAM_MEMBER
    assert not person.has_usable_password()  # logs in with an SMS code
    assert TeamMembership.objects.filter(
        team=village_team, user=person, role="member"
    ).exists()
    assert [m.to for m in sms.outbox] == ["+84912000501"]


def test_an_existing_account_joins_the_team(client, org_tree, village_team):
    learner = org_tree.admins["learner"]  # lives in Thôn 0.0.0, commune 90000
    learner.phone, learner.full_name = "+84912000502", "Trần Văn Bình"
    learner.save(update_fields=["phone", "full_name"])
    client.force_login(org_tree.admins["commune0.0"])
    response = _add(
        client, village_team, full_name=learner.full_name, phone="0912000502"
    )
    assert response.status_code == 302
    assert "tài khoản đã có" in client.get(response.url).text
    assert User.objects.filter(phone="+84912000502").count() == 1
    assert TeamMembership.objects.filter(team=village_team, user=learner).exists()
    learner.refresh_from_db()
    assert learner.check_password("Matkhau@2025")  # their login is untouched
    assert sms.outbox == []
    # Added again: said so, nothing written.
    before = _people()
    response = _add(
        client, village_team, full_name=learner.full_name, phone="0912000502"
    )
    assert response.status_code == 200
    assert "đã ở trong tổ" in response.text and _people() == before


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"full_name": "=cmd|' /C calc'!A0", "phone": "0912000503"},
            "có chữ số hoặc ký tự đặc biệt",
        ),
        (
            {"full_name": "Nguyễn\x00Văn", "phone": "0912000503"},
            "ký tự điều khiển",
        ),
        ({"full_name": "A" * 500, "phone": "0912000503"}, "dài quá 150 ký tự"),
        ({"full_name": "Lê Văn Tám", "phone": "=1+1"}, "Số điện thoại không hợp lệ"),
        ({"full_name": "Lê Văn Tám", "phone": "0912\x00000503"}, "ký tự điều khiển"),
        ({"full_name": "Lê Văn Tám", "phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"full_name": "", "phone": ""}, "Thiếu họ và tên."),
        (
            {"full_name": "Lê Văn Tám", "phone": "0912000503", "birth_year": "19x5"},
            "Năm sinh “19x5” không hợp lệ",
        ),
    ],
)
def test_hostile_input_is_refused_in_vietnamese_and_saves_nothing(
    client, org_tree, village_team, data, message
):
    client.force_login(org_tree.admins["commune0.0"])
    before = _people()
    response = _add(client, village_team, **data)
    assert response.status_code == 200
    assert message in response.text
    assert _people() == before and sms.outbox == []


def test_an_admin_account_is_not_changed_from_a_team_page(
    client, org_tree, village_team
):
    other_admin = org_tree.admins["commune0.1"]
    other_admin.phone = "+84912000504"
    other_admin.save(update_fields=["phone"])
    client.force_login(org_tree.admins["commune0.0"])
    before = _people()
    response = _add(client, village_team, full_name="Tên Mới", phone="0912000504")
    assert response.status_code == 200
    assert "tài khoản quản trị" in response.text and _people() == before


def test_another_units_admin_cannot_add_to_the_team(client, org_tree, village_team):
    before = _people()
    for label in ("commune0.1", "province1", "team_leader", "learner"):
        client.force_login(org_tree.admins[label])
        response = _add(
            client, village_team, full_name="Lê Văn Tám", phone="0912000505"
        )
        assert response.status_code in (403, 404), label
    assert _people() == before
    # The team leader sees their team, without the form.
    client.force_login(org_tree.admins["team_leader"])
    leader_team = org_tree.teams[org_tree.villages[0].code]
    page = client.get(reverse("team_detail", args=[leader_team.pk])).text
    assert "Thêm một người vào tổ" not in page
