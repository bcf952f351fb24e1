"""The public board (/bang-thi-dua/) against a plain-Python computation over
the same raw rows: learners registered under each commune, their programme
completions and the communes' targets. Several fixtures, ties included."""

import re
from datetime import timedelta
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.campaigns.board import MIN_TARGET
from hocvuso.campaigns.models import Campaign
from hocvuso.core.collation import vietnamese_sort_key
from hocvuso.orgunits.models import UnitTarget

from courses.models import ProgrammeCompletion, ProgrammePage

from .conftest import assign, figures_up, learners_add, province_make, target_set

pytestmark = pytest.mark.django_db

# name → (learners, completed, target); None: no target set.
FIXTURES = {
    "ties": {
        "Xã Bình": (30, 10, 20),  # 50 %
        "Xã An": (50, 20, 40),  # 50 %: tied with Bình, listed first
        "Phường Đông": (25, 25, 25),  # 100 %
        "Xã Cẩm": (40, 5, 20),  # 25 %
        "Xã Dương": (10, 0, 30),  # 0 %
        "Xã Đá": (10, 0, 20),  # 0 %: tied with Dương, after it (đ after d)
    },
    "apart": {
        "Xã Lớn": (100, 30, 100),  # 30 %
        "Xã Nhỏ": (3, 3, 3),  # 100 % of 3: listed apart, not first
        "Xã Chưa Đặt": (50, 50, None),  # no target: apart
        "Xã Không": (20, 10, 0),  # a target of 0 is no target
        "Xã Vừa": (20, 6, MIN_TARGET),  # exactly the minimum: ranked, 30 %
        "Xã Trống": (0, 0, 25),  # no learner yet: 0 %
    },
    "all tied": {
        "Xã Một": (10, 10, 20),
        "Xã Hai": (20, 20, 40),
        "Xã Ba": (30, 30, 60),
    },
}


def _populate(programme, spec: dict) -> dict[str, object]:
    province, communes = province_make("71", list(spec))
    assign(province, programme)
    for commune, (learners, completed, target) in zip(
        communes, spec.values(), strict=True
    ):
        # Half on the commune itself, half on a village of it.
        village = commune.add_child(
            code=f"{commune.code}-01", name="Thôn 1", level="village", kind="thôn"
        )
        learners_add(
            commune,
            learners=learners // 2,
            completed=min(completed, learners // 2),
            programme=programme,
        )
        learners_add(
            village,
            learners=learners - learners // 2,
            completed=completed - min(completed, learners // 2),
            programme=programme,
        )
        if target is not None:
            target_set(commune, programme, target)
    figures_up()
    return {c.code: c for c in communes}


def _plain_ranking(programme, communes) -> list[tuple[int, str]]:
    """From the raw rows, without the board's code."""
    rows = []
    for code, commune in communes.items():
        people = User.objects.filter(unit__path__startswith=commune.path)
        completed = ProgrammeCompletion.objects.filter(
            user__in=people, programme=programme
        ).count()
        target = (
            UnitTarget.objects.filter(unit=commune, programme=programme)
            .values_list("learners", flat=True)
            .first()
        )
        if target and target >= MIN_TARGET:
            rows.append((code, commune.name, Fraction(completed, target)))
    out = [
        (1 + sum(1 for other in rows if other[2] > rate), name, code)
        for code, name, rate in rows
    ]
    out.sort(key=lambda x: (x[0], vietnamese_sort_key(x[1])))
    return [(rank, code) for rank, _name, code in out]


def _page_ranking(html: str) -> list[tuple[int, str]]:
    table = html.split('id="board-ranking"', 1)[1].split("</table>", 1)[0]
    return [
        (int(rank), code)
        for code, rank in re.findall(
            r'<tr data-code="([^"]+)"><td class="num rank">(\d+)</td>', table
        )
    ]


def _codes(html: str, table_id: str) -> set[str]:
    if f'id="{table_id}"' not in html:
        return set()
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return set(re.findall(r'<tr data-code="([^"]+)">', table))


@pytest.mark.parametrize("name", list(FIXTURES))
def test_the_ranking_equals_a_plain_computation(client, programme, name):
    spec = FIXTURES[name]
    communes = _populate(programme, spec)
    html = client.get(reverse("campaign_board")).content.decode()
    assert _page_ranking(html) == _plain_ranking(programme, communes)
    by_name = {c.name: code for code, c in communes.items()}
    small = {by_name[n] for n, (_l, _c, t) in spec.items() if t and t < MIN_TARGET}
    none = {by_name[n] for n, (_l, _c, t) in spec.items() if not t}
    assert _codes(html, "board-small") == small
    assert _codes(html, "board-no-target") == none


def test_the_ties_fixture_reads_as_expected(client, programme):
    communes = _populate(programme, FIXTURES["ties"])
    names = {code: c.name for code, c in communes.items()}
    html = client.get(reverse("campaign_board")).content.decode()
    assert [(rank, names[code]) for rank, code in _page_ranking(html)] == [
        (1, "Phường Đông"),
        (2, "Xã An"),
        (2, "Xã Bình"),
        (4, "Xã Cẩm"),
        (5, "Xã Dương"),
        (5, "Xã Đá"),
    ]
    # The movement's figures: every learner and completion of the province.
    figures = html.split('id="board-figures"', 1)[1].split("</dl>", 1)[0]
    assert re.findall(r"<dd>(\d+)</dd>", figures) == ["165", "60", "60", "155"]


def test_the_page_states_the_rule_and_is_public(client, programme):
    _populate(programme, FIXTURES["apart"])
    response = client.get(reverse("campaign_board"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cách xếp hạng" in html
    assert f"chỉ tiêu dưới {MIN_TARGET} người" in html
    assert "(1, 1, 3)" in html
    # Nothing personal, no cookie: any cache may keep it for a minute.
    assert not response.cookies
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


def test_a_new_completion_shows_after_the_cache_minute(client, programme):
    communes = _populate(programme, {"Xã An": (30, 10, 20), "Xã Bình": (30, 12, 20)})
    first = _page_ranking(client.get(reverse("campaign_board")).content.decode())
    an = next(code for code, c in communes.items() if c.name == "Xã An")
    learners_add(communes[an], learners=5, completed=5, programme=programme)
    figures_up()
    cache.clear()  # the minute has passed
    then = _page_ranking(client.get(reverse("campaign_board")).content.decode())
    assert first[0][1] != an and then[0][1] == an


def test_a_national_install_ranks_provinces_and_opens_one(client, programme):
    north, north_communes = province_make("72", ["Xã Bắc"])
    south, south_communes = province_make("73", ["Xã Nam"])
    for province in (north, south):
        assign(province, programme)
    learners_add(north_communes[0], learners=30, completed=10, programme=programme)
    learners_add(south_communes[0], learners=30, completed=20, programme=programme)
    target_set(north, programme, 40)
    target_set(south, programme, 40)
    target_set(south_communes[0], programme, 25)
    figures_up()
    html = client.get(reverse("campaign_board")).content.decode()
    assert _page_ranking(html) == [(1, "73"), (2, "72")]
    html = client.get(reverse("campaign_board_unit", args=["73"])).content.decode()
    assert _page_ranking(html) == [(1, south_communes[0].code)]


def _campaign(owner, units, **fields) -> Campaign:
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=fields.pop("name", "Ngày hội 10/10"),
        starts_on=fields.pop("starts_on", today - timedelta(days=1)),
        ends_on=fields.pop("ends_on", today + timedelta(days=1)),
        owner_unit=owner,
        **fields,
    )
    campaign.units.set(units)
    return campaign


def test_the_board_of_a_campaign_ranks_its_units_only(client, programme):
    communes = _populate(programme, FIXTURES["ties"])
    chosen = [c for c in communes.values() if c.name in ("Xã An", "Xã Cẩm")]
    province = chosen[0].get_parent()
    campaign = _campaign(province, chosen)
    html = client.get(reverse("campaign_board")).content.decode()
    # The running campaign is named on the plain board, with its link.
    assert "Ngày hội 10/10" in html and f"?campaign={campaign.pk}" in html
    assert 'data-refresh="60"' in html
    html = client.get(
        reverse("campaign_board"), {"campaign": campaign.pk}
    ).content.decode()
    assert [code for _rank, code in _page_ranking(html)] == [
        c.code for c in sorted(chosen, key=lambda c: c.name)
    ]
    assert [rank for rank, _code in _page_ranking(html)] == [1, 2]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "\x00",
        "1\x00",
        "-1",
        "0",
        "9" * 40,
        "1.5",
        "١",
        "1 OR 1=1",
        "x" * 10_000,
    ],
)
def test_a_hostile_campaign_parameter_is_a_404(client, programme, value):
    _populate(programme, FIXTURES["all tied"])
    response = client.get(reverse("campaign_board"), {"campaign": value})
    assert response.status_code == 404


def test_another_provinces_campaign_is_not_on_this_board(client, programme):
    here, _communes = province_make("74", ["Xã Đây"])
    there, there_communes = province_make("75", ["Xã Kia"])
    campaign = _campaign(there, there_communes)
    assert (
        client.get(
            reverse("campaign_board_unit", args=[here.code]), {"campaign": campaign.pk}
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("campaign_board_unit", args=[there.code]), {"campaign": campaign.pk}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("code", ["99", "\x00", "7" * 300, "71000"])
def test_an_unknown_or_non_province_code_is_a_404(client, programme, code):
    _populate(programme, FIXTURES["all tied"])
    assert client.get(f"/bang-thi-dua/{code}/").status_code == 404


def test_the_board_costs_a_fixed_number_of_queries(
    client, programme, django_assert_max_num_queries
):
    _populate(programme, FIXTURES["ties"])
    cache.clear()
    with django_assert_max_num_queries(14):
        client.get(reverse("campaign_board"))
    with django_assert_max_num_queries(4):  # then from the cache
        client.get(reverse("campaign_board"))


def test_a_campaigns_programme_is_the_one_ranked(client, programme, build_catalog):
    communes = _populate(programme, {"Xã An": (30, 10, 20), "Xã Bình": (30, 12, 20)})
    other = ProgrammePage(
        title="Chương trình khác",
        slug="chuong-trinh-khac",
        audience=programme.audience,
        summary="Khác.",
    )
    programme.get_parent().add_child(instance=other)
    other.save_revision().publish()
    province = next(iter(communes.values())).get_parent()
    default = client.get(reverse("campaign_board")).content.decode()
    assert "Chương trình thi đua" in default  # the one with targets
    campaign = _campaign(province, list(communes.values()), programme=other)
    html = client.get(
        reverse("campaign_board"), {"campaign": campaign.pk}
    ).content.decode()
    assert "Chương trình khác" in html
    # No target is set for it: every commune is listed apart, none ranked.
    assert _codes(html, "board-no-target") == set(communes)
    assert 'id="board-ranking"' not in html


def test_the_board_in_english(client, programme):
    _populate(programme, FIXTURES["ties"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("campaign_board")).content.decode()
    assert "Emulation board" in html and "How the ranking works" in html
    assert "Bảng thi đua" not in html.split("<footer", 1)[0]
