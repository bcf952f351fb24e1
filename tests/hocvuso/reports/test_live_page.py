"""Issue 24, finding 6: the live dashboard says what "completed" counts,
gives commune-level residents a row, and can be polled where no websocket
gets through (the page's script falls back to it and says so)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import User

from courses.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_resident(org_tree, build_catalog):
    build_catalog(courses=1, lessons=1)
    from courses.models import CoursePage

    commune = org_tree.communes[0]
    user = User.objects.create_user(username="o_xa", full_name="Ở Xã", unit=commune)
    now = timezone.now()
    Enrolment.objects.create(
        user=user,
        course=CoursePage.objects.get(),
        enrolled_at=now,
        last_activity_at=now,
    )
    cache.clear()
    return commune


def test_live_page_labels_what_it_counts_and_has_a_row_for_commune_residents(
    client, org_tree, active_resident
):
    client.force_login(org_tree.admins["commune0.0"])
    page = client.get(reverse("report_live", args=[active_resident.code]))
    assert "Hoàn thành khóa học (15 phút)" in page.text
    assert "hoàn thành một khóa học trong 15 phút qua" in page.text
    direct = [r for r in page.context["counts"]["rows"] if not r["code"]]
    assert [(r["name"], r["active"]) for r in direct] == [
        ("Chưa ghi thôn/tổ dân phố", 1)
    ]
    assert 'data-poll="?format=json"' in page.text
    assert "Không có kết nối trực tiếp: trang tự cập nhật mỗi" in page.text


def test_live_counts_can_be_polled_within_the_scope_only(
    client, org_tree, active_resident
):
    url = reverse("report_live", args=[active_resident.code]) + "?format=json"
    client.force_login(org_tree.admins["commune0.0"])
    data = client.get(url).json()
    assert data["total"]["active"] == 1
    assert data["unit"] == active_resident.code
    client.force_login(org_tree.admins["commune0.1"])
    assert client.get(url).status_code == 404
