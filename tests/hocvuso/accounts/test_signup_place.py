"""A citizen who signs up by phone is greeted by their name and says where
they live before the first course, so their commune's and province's
reports count them."""

import pytest
from django.urls import reverse
from hocvuso.accounts.models import User
from hocvuso.reports import report_sql
from hocvuso.reports.selectors import subject_get

from courses.models import CoursePage
from courses.services import enrolment_create

from .auth_flows import SIGNUP, VERIFY, last_code, page_text

pytestmark = pytest.mark.django_db

PLACE = "/tai-khoan/noi-song/"
NAME = "Nguyễn Thị Hồng Nhung"


def _sign_up(client, phone="0912345678", name=NAME):
    client.post(SIGNUP, {"full_name": name, "phone": phone})
    return client.post(VERIFY, {"code": last_code()}, follow=True)


def test_a_phone_sign_up_is_greeted_by_name_not_as_user(client, privacy_notice):
    first = page_text(_sign_up(client))
    assert f"Bạn đã đăng nhập với tên {NAME}" in first
    client.post(reverse("account_logout"))
    _sign_up(client, phone="0987 654 321", name="Lê Văn Tám")
    usernames = set(User.objects.values_list("username", flat=True))
    assert usernames == {"84912345678", "84987654321"}


def test_after_consent_the_sign_up_asks_where_the_learner_lives(
    client, privacy_notice, org_tree
):
    response = _sign_up(client)
    assert response.redirect_chain[-1][0].startswith(reverse("consent"))
    response = client.post(
        response.redirect_chain[-1][0], {"agree": "on", "next": PLACE}, follow=True
    )
    assert response.redirect_chain[-1][0] == PLACE
    text = page_text(response)
    assert "Bạn sống ở đâu?" in text and org_tree.provinces[0].name in text


def test_the_commune_is_required_and_the_village_is_not(
    client, privacy_notice, org_tree
):
    _sign_up(client)
    province = org_tree.provinces[0]
    response = client.post(PLACE, {"province": province.code, "commune": ""})
    assert "Vui lòng chọn xã, phường nơi bạn sinh sống." in page_text(response)
    assert User.objects.get(phone="+84912345678").unit is None

    commune = org_tree.communes[0]
    response = client.post(PLACE, {"province": province.code, "commune": commune.code})
    assert response.status_code == 302 and response["Location"] == "/"
    assert User.objects.get(phone="+84912345678").unit == commune


def test_without_javascript_the_commune_list_follows_the_province(
    client, privacy_notice, org_tree
):
    _sign_up(client)
    province = org_tree.provinces[1]
    response = client.post(PLACE, {"province": province.code, "refresh": "1"})
    text = page_text(response)
    assert org_tree.communes[3].name in text and org_tree.communes[0].name not in text
    assert "Vui lòng chọn" not in text  # refreshing the list is not an error
    assert User.objects.get(phone="+84912345678").unit is None


@pytest.mark.parametrize(
    "posted",
    [
        {"province": "90", "commune": "91000"},  # a commune of another province
        {"province": "90", "commune": "90000", "village": "91000001"},
        {"province": "'; DROP TABLE", "commune": "\x00"},
        {"province": "9" * 5000, "commune": ["90000", "90001"]},
    ],
)
def test_hostile_places_are_refused_in_vietnamese(
    client, privacy_notice, org_tree, posted
):
    _sign_up(client)
    response = client.post(PLACE, posted)
    assert response.status_code == 200
    assert "has-error" in page_text(response)
    assert User.objects.get(phone="+84912345678").unit is None


def test_a_self_registered_citizen_counts_in_their_commune_and_province_reports(
    client, privacy_notice, org_tree, build_catalog
):
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    subject = subject_get(kind="course", pk=course.pk)
    commune, province = org_tree.communes[1], org_tree.provinces[0]
    before = [
        report_sql.scope_count(unit=u, subject=subject, audience="citizen")
        for u in (commune, province)
    ]
    _sign_up(client)
    client.post(PLACE, {"province": province.code, "commune": commune.code})
    enrolment_create(user=User.objects.get(phone="+84912345678"), course=course)
    after = [
        report_sql.scope_count(unit=u, subject=subject, audience="citizen")
        for u in (commune, province)
    ]
    assert after == [before[0] + 1, before[1] + 1]


def test_no_course_opens_before_the_new_learner_says_where_they_live(
    client, privacy_notice, org_tree, build_catalog
):
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    _sign_up(client)
    client.post(reverse("consent"), {"agree": "on"})
    response = client.post(reverse("course_enrol", args=[course.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(PLACE)
    assert not course.enrolments.exists()

    province, commune = org_tree.provinces[0], org_tree.communes[0]
    client.post(PLACE, {"province": province.code, "commune": commune.code})
    client.post(reverse("course_enrol", args=[course.pk]))
    assert course.enrolments.count() == 1
