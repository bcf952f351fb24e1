"""Hostile input in every field of the class form, on PostgreSQL: never a
500, never a class written from bad input, a Vietnamese message instead."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.training.models import TrainingClass

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = [
    "",
    "   ",
    "\x00",
    "Lớp\x00học",
    "a" * 5000,
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "' OR 1=1 --",
    "\u202egnp.exe",
    "😀😀",
    "\ufffd",
]
HOSTILE = {
    "title": HOSTILE_TEXT,
    "trainer": HOSTILE_TEXT,
    "place": HOSTILE_TEXT,
    "conference_link": [
        "javascript:alert(1)",
        "ftp://example.vn/",
        "http://",
        "https://" + "a" * 300 + ".vn",
        "https://hop.vn/\x00",
        "không phải đường dẫn",
    ],
    "what": ["", "c", "p", "x1", "c-1", "c" + "9" * 30, "c0", "p999999", "\x00"],
    "kind": ["", "other", "\x00", "in_person" * 20],
    "starts_at": [
        "",
        "abc",
        "2026-02-30T10:00",
        "0001-01-01T00:00",
        "9999-12-31T23:59",
        "2020-01-01T10:00",
        "\x00",
        "2027-01-01T25:61",
        "١٢٣",
    ],
    "ends_at": ["", "abc", "0001-01-01T00:00", "9999-12-31T23:59", "2020-01-01T10:00"],
    "capacity": ["", "0", "-1", "1.5", "abc", "9" * 40, "1e9", "\x00", "١٢"],
    "units": [["99999"], ["\x00"], [""], ["9" * 300]],
    "phones": ["abc", "0900000000\n" * 600, "\x00", "0987 000 999", "+1 202 555 0100"],
}


def _valid(courses, commune, villages) -> dict:
    starts = timezone.localtime() + timedelta(days=10)
    return {
        "title": "Lớp kỹ năng số",
        "what": f"c{courses[0].pk}",
        "kind": "in_person",
        "place": "Hội trường xã",
        "conference_link": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "trainer": "Nguyễn Văn Giảng",
        "capacity": "30",
        "units": [villages[0].code],
        "phones": "",
    }


def test_the_valid_form_creates_a_class(client, org_tree, courses, commune, villages):
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("training_class_add", args=[commune.code])
    response = client.post(url, _valid(courses, commune, villages))
    assert response.status_code == 302
    assert TrainingClass.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, values in HOSTILE.items() for value in values],
)
def test_hostile_value_gets_a_vietnamese_message(
    client, org_tree, courses, commune, villages, field, value
):
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("training_class_add", args=[commune.code])
    data = _valid(courses, commune, villages)
    data[field] = value
    if field == "conference_link":
        data["kind"] = "video"
    if field == "units":
        data["phones"] = ""
    response = client.post(url, data)
    assert response.status_code == 400, (field, value)
    page = response.content.decode()
    assert 'role="alert"' in page
    assert not TrainingClass.objects.exists()
    for english in ("Enter a valid", "This field", "Null characters", "Select a"):
        assert english not in page


def test_a_commune_admin_cannot_invite_another_communes_village(
    client, org_tree, courses, commune, villages
):
    client.force_login(org_tree.admins["commune0.0"])
    data = _valid(courses, commune, villages)
    data["units"] = [org_tree.villages[3].code]  # commune 0.1's
    response = client.post(reverse("training_class_add", args=[commune.code]), data)
    assert response.status_code == 400
    assert "Đơn vị được mời không hợp lệ." in response.content.decode()
