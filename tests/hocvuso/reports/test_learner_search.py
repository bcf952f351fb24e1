"""Issue 24, finding 5: the learner search finds a phone however people
write it, and names starting with Đ/đ (SQLite's lower() and LIKE fold ASCII
only); finding 8: the learners registered on a commune but on none of its
villages have a row that links to them."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import User

from courses.models import Enrolment

pytestmark = pytest.mark.django_db


def _enrolled(dataset, **fields) -> User:
    user = User.objects.create_user(**fields)
    now = timezone.now()
    Enrolment.objects.create(
        user=user, course=dataset.courses[0], enrolled_at=now, last_activity_at=now
    )
    return user


@pytest.fixture
def search(client, org_tree, dataset):
    village = org_tree.villages[0]
    client.force_login(org_tree.admins["commune0.0"])  # sees phones in full
    url = reverse("report_learners", args=[village.code])

    def found(q: str) -> set[int]:
        query = urlencode({"subject": f"course:{dataset.courses[0].pk}", "q": q})
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, q
        return {row.pk for row in response.context["rows"]}

    return found


@pytest.mark.parametrize(
    "typed",
    [
        "0912345601",
        "0912 345 601",
        "0912.345.601",
        "+84 912 345 601",
        "+84912345601",
        "84912345601",
        "345 601",
    ],
)
def test_a_phone_is_found_as_people_write_it(org_tree, dataset, search, typed):
    learner = _enrolled(
        dataset,
        username="so_dt",
        full_name="Lê Văn Số",
        phone="+84912345601",
        unit=org_tree.villages[0],
    )
    assert learner.pk in search(typed)


@pytest.mark.parametrize("typed", ["Đặng", "đặng", "ĐẶNG", "đặng thị", "Thị Đào"])
def test_names_with_d_stroke_are_found_whatever_the_case(
    org_tree, dataset, search, typed
):
    one = _enrolled(
        dataset, username="dang", full_name="Đặng Thị Đào", unit=org_tree.villages[0]
    )
    other = _enrolled(
        dataset, username="dung", full_name="Dương Văn Dũng", unit=org_tree.villages[0]
    )
    found = search(typed)
    assert one.pk in found
    assert other.pk not in found


@pytest.mark.parametrize("typed", ["\x00", "%", "_", "'; DROP TABLE x; --", "𝔇" * 200])
def test_a_hostile_search_answers(search, typed):
    search(typed)


def test_residents_without_a_village_have_a_row_linking_to_them(
    client, org_tree, dataset
):
    commune = org_tree.communes[0]
    resident = _enrolled(
        dataset, username="khong_thon", full_name="Không Ghi Thôn", unit=commune
    )
    villager = _enrolled(
        dataset, username="co_thon", full_name="Có Ghi Thôn", unit=org_tree.villages[0]
    )
    client.force_login(org_tree.admins["commune0.0"])
    subject = urlencode({"subject": f"course:{dataset.courses[0].pk}"})
    page = client.get(reverse("report_unit", args=[commune.code]) + "?" + subject)
    row = next(r for r in page.context["rows"] if not r.code)
    assert row.name == "Chưa ghi thôn/tổ dân phố"
    assert row.direct_of == commune.code
    link = reverse("report_learners", args=[commune.code])
    assert f'href="{link}?{subject}&amp;direct=1"' in page.text
    listed = client.get(f"{link}?{subject}&direct=1").context["rows"]
    assert resident.pk in {r.pk for r in listed}
    assert villager.pk not in {r.pk for r in listed}
