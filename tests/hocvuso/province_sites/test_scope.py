"""Issue 22 part 2: on a province's site the place picker offers that
province only, another province's place is refused in Vietnamese, the board
ranks that province's communes, and another province's admin reaches none
of its units."""

import re

import pytest
from hocvuso.accounts.models import User
from hocvuso.core.demo import demo_site_seed
from hocvuso.orgunits.models import Unit

from .conftest import HOST_B

pytestmark = pytest.mark.django_db

PROFILE = "/tai-khoan/ho-so/"
PLACE_FIELDS = "/tai-khoan/ho-so/dia-ban/"


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group()
    return [v for v in re.findall(r'<option value="([^"]*)"', select) if v]


def _learner(unit: Unit) -> User:
    return User.objects.create_user(
        username="hoc_vien_b", password="Matkhau@2025", full_name="Lê Văn B", unit=unit
    )


def test_the_place_picker_offers_the_sites_province_only(client, two_sites, org_tree):
    client.force_login(_learner(org_tree.communes[3]))

    on_b = client.get(PROFILE, HTTP_HOST=HOST_B).text
    on_a = client.get(PROFILE).text

    assert _options(on_b, "province") == [two_sites.province_b.code]
    assert _options(on_b, "commune") == [c.code for c in org_tree.communes[3:6]]
    # A learner of B on A's site is offered A beside their own province, and
    # their own place stays chosen.
    assert _options(on_a, "province") == [
        two_sites.province_a.code,
        two_sites.province_b.code,
    ]
    assert _options(on_a, "commune") == [c.code for c in org_tree.communes[3:6]]
    assert f'value="{org_tree.communes[3].code}" selected' in on_a


def test_a_learner_saving_their_name_on_another_provinces_site_keeps_their_place(
    client, two_sites, org_tree
):
    learner = _learner(org_tree.communes[4])
    client.force_login(learner)
    form = client.get(PROFILE).text  # province A's site
    chosen = {
        name: re.search(
            rf'<select name="{name}".*?<option value="([^"]*)" selected', form, re.S
        ).group(1)
        for name in ("province", "commune")
    }

    response = client.post(PROFILE, {"full_name": "Lê Văn Bình", **chosen})

    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.full_name, learner.unit) == ("Lê Văn Bình", org_tree.communes[4])


def test_a_learner_of_another_province_may_move_to_the_sites_province(
    client, two_sites, org_tree
):
    learner = _learner(org_tree.communes[4])
    client.force_login(learner)

    response = client.post(
        PROFILE, {"full_name": "Lê Văn B", "province": "90", "commune": "90001"}
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.unit == org_tree.communes[1]


def test_the_htmx_lists_follow_the_site(client, two_sites, org_tree):
    html = client.get(
        PLACE_FIELDS, {"province": two_sites.province_a.code}, HTTP_HOST=HOST_B
    ).text

    assert _options(html, "commune") == [c.code for c in org_tree.communes[3:6]]


def test_a_national_site_offers_every_province(client, org_tree):
    demo_site_seed()
    client.force_login(_learner(org_tree.communes[3]))

    html = client.get(PROFILE).text

    assert _options(html, "province") == [p.code for p in org_tree.provinces]


@pytest.mark.parametrize(
    "place",
    [
        {"province": "90", "commune": "90000"},  # province A's, on B's site
        {"province": "91", "commune": "90000"},  # A's commune under B
        {"province": "91", "commune": "91000", "village": "90000001"},
        {"province": "\x00", "commune": "91000"},
        {"province": "9" * 5000, "commune": ["91000", "91001"]},
    ],
)
def test_a_place_outside_the_sites_province_is_refused(
    client, two_sites, org_tree, place
):
    learner = _learner(org_tree.communes[4])
    client.force_login(learner)

    response = client.post(
        PROFILE, {"full_name": "Lê Văn B", **place}, HTTP_HOST=HOST_B
    )

    assert response.status_code == 200
    assert "has-error" in response.text
    learner.refresh_from_db()
    assert learner.unit == org_tree.communes[4]


def test_the_refusal_names_the_sites_province(client, two_sites, org_tree):
    client.force_login(_learner(org_tree.communes[4]))

    response = client.post(
        PROFILE,
        {"full_name": "Lê Văn B", "province": "90", "commune": "90000"},
        HTTP_HOST=HOST_B,
    )

    assert (
        "Trang này dành cho người dân Tỉnh Thử 1: hãy chọn nơi ở thuộc Tỉnh Thử 1."
        in response.text
    )


def test_a_place_in_the_sites_province_is_saved(client, two_sites, org_tree):
    learner = _learner(org_tree.communes[0])
    client.force_login(learner)

    response = client.post(
        PROFILE,
        {"full_name": "Lê Văn B", "province": "91", "commune": "91001"},
        HTTP_HOST=HOST_B,
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.unit == org_tree.communes[4]


# ---------------------------------------------------------------- the board


def test_each_sites_board_ranks_its_own_provinces_communes(client, two_sites):
    on_a = client.get("/bang-thi-dua/")
    on_b = client.get("/bang-thi-dua/", HTTP_HOST=HOST_B)

    assert on_a.context["area"] == two_sites.province_a
    assert on_b.context["area"] == two_sites.province_b
    assert client.get("/bang-thi-dua/91/", HTTP_HOST=HOST_B).status_code == 200


def test_a_province_site_shows_no_other_provinces_board(client, two_sites):
    assert client.get("/bang-thi-dua/90/", HTTP_HOST=HOST_B).status_code == 404
    assert client.get("/bang-thi-dua/91/").status_code == 404


def test_the_national_site_ranks_the_provinces(client, org_tree):
    demo_site_seed()

    response = client.get("/bang-thi-dua/")

    assert response.context["area"] is None
    assert client.get("/bang-thi-dua/91/").context["area"] == org_tree.provinces[1]


# ---------------------------------------------------- administrators per site


@pytest.mark.parametrize("host", ["testserver", HOST_B])
def test_a_province_admin_opens_none_of_another_provinces_units(
    client, two_sites, org_tree, host
):
    admin_a = org_tree.admins["province0"]
    admin_b = org_tree.admins["province1"]
    b_units = [org_tree.provinces[1], org_tree.communes[3], org_tree.villages[9]]

    for unit in b_units:
        client.force_login(admin_a)
        assert (
            client.get(f"/quan-tri/don-vi/{unit.code}/", HTTP_HOST=host).status_code
            == 404
        )
        client.force_login(admin_b)
        assert (
            client.get(f"/quan-tri/don-vi/{unit.code}/", HTTP_HOST=host).status_code
            == 200
        )
