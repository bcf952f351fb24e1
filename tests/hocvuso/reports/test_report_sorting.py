"""Issue 24, finding 2: sorting from the report an admin first lands on,
toggling up and down on every column, a query that does not grow, and
Vietnamese alphabetical order for unit and learner names."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.core.collation import vietnamese_sort_key
from hocvuso.orgunits.models import Unit
from hocvuso.reports.figures import SORT_KEYS

from courses.models import Enrolment

pytestmark = pytest.mark.django_db

UNIT_NAMES = ["Y Tý", "Xã Đặng Thùy Trâm", "Đặc khu Lý Sơn", "Xã Dung", "Phường Ân"]


def test_vietnamese_alphabet_order():
    names = ["Y", "Đặc khu Lý Sơn", "Xã Đặng Thùy Trâm", "Dương", "Ăn", "An", "Âm", "B"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "An",
        "Ăn",
        "Âm",
        "B",
        "Dương",
        "Đặc khu Lý Sơn",
        "Xã Đặng Thùy Trâm",
        "Y",
    ]
    # Tones only break ties: "Hà" and "Hả" come together, before "Hai".
    assert sorted(["Hai", "Hả", "Ha", "Hà"], key=vietnamese_sort_key) == [
        "Ha",
        "Hà",
        "Hả",
        "Hai",
    ]


def _sort_links(text: str) -> dict[str, str]:
    return {
        key: html.unescape(query)
        for query, key in re.findall(r'href="\?([^"]*)" data-sort="([^"]+)"', text)
    }


def _names(response) -> list[str]:
    return [r.name for r in response.context["rows"]]


@pytest.fixture
def named_province(org_tree, dataset):
    """The first province's communes renamed to names whose code-point order
    is not their alphabetical order."""
    for commune, name in zip(org_tree.communes[:3], UNIT_NAMES, strict=False):
        Unit.objects.filter(pk=commune.pk).update(name=name)
    return org_tree.provinces[0]


def test_every_column_sorts_up_and_down_from_the_default_report(
    client, org_tree, named_province
):
    client.force_login(org_tree.admins["province0"])
    landing = client.get(reverse("report_home"), follow=True)
    url = landing.redirect_chain[-1][0]
    assert url.endswith(f"/{named_province.code}/")  # no filter in the address
    links = _sort_links(landing.text)
    assert set(links) == {
        k
        for k in SORT_KEYS
        if k in ("name", "in_scope", "average") or k.endswith("_pct")
    }
    for key, query in links.items():
        lengths = set()
        # The landing page is sorted by name, up: its header turns it down.
        descending = key == "name"
        for _click in range(4):
            page = client.get(f"{url}?{query}")
            assert page.status_code == 200, key
            assert "Trường này là bắt buộc" not in page.text
            rows = page.context["rows"]
            assert rows, key
            values = [r.sort_value(key) for r in rows]
            assert values == sorted(values, reverse=descending), (key, descending)
            state = re.search(
                rf'aria-sort="(\w+)"><a href="\?[^"]*" data-sort="{key}"', page.text
            )
            assert state and state[1] == ("descending" if descending else "ascending")
            lengths.add(len(query))
            query = _sort_links(page.text)[key]
            descending = not descending
        assert len(lengths) <= 2, f"the query grows: {key}"


def test_unit_names_sort_in_vietnamese_order(client, org_tree, named_province):
    client.force_login(org_tree.admins["province0"])
    url = reverse("report_unit", args=[named_province.code])
    up = _names(client.get(url + "?sort=name"))
    communes = [n for n in up if n in UNIT_NAMES]
    assert communes == ["Đặc khu Lý Sơn", "Xã Đặng Thùy Trâm", "Y Tý"]
    down = _names(client.get(url + "?sort=name&desc=1"))
    assert [n for n in down if n in UNIT_NAMES] == communes[::-1]


def test_learner_list_is_in_vietnamese_order(client, org_tree, dataset):
    village = org_tree.villages[0]
    now = timezone.now()
    for i, name in enumerate(["Y Vân", "Đặng Thu", "Dương An", "Ê Ban", "Ân Hòa"]):
        user = User.objects.create_user(
            username=f"ten_{i}", full_name=name, unit=village, phone=f"+8498100000{i}"
        )
        Enrolment.objects.create(
            user=user, course=dataset.courses[0], enrolled_at=now, last_activity_at=now
        )
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_learners", args=[village.code])
    rows = client.get(url + f"?subject=course:{dataset.courses[0].pk}").context["rows"]
    names = [r.full_name for r in rows]
    ours = [
        n for n in names if n in {"Y Vân", "Đặng Thu", "Dương An", "Ê Ban", "Ân Hòa"}
    ]
    assert ours == ["Ân Hòa", "Dương An", "Đặng Thu", "Ê Ban", "Y Vân"]
    assert names == sorted(names, key=vietnamese_sort_key)
