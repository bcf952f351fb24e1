"""A launch from a school's LMS: the learner's account is found (or made)
by issuer and `sub` only, enrolled in the course, and signed in through a
one-time link that opens the course in a window of our own."""

import re

import pytest
from django.core.cache import cache
from hocvuso.accounts.models import User
from hocvuso.lti.models import GradeTarget, LtiIdentity

from courses.models import Enrolment

from .conftest import launch

pytestmark = pytest.mark.django_db


def _entry_url(response) -> str:
    found = re.search(r'id="lti-open" href="([^"]+)"', response.content.decode())
    assert found, response.content.decode()[:2000]
    return found.group(1).replace("&amp;", "&")


def test_a_launch_makes_an_account_enrols_it_and_the_link_signs_in(
    client, lms, registration, courses
):
    course = courses[1]
    lms.custom = {"course_id": str(course.pk)}

    response = launch(client, lms)

    assert response.status_code == 200
    page = response.content.decode()
    assert course.title in page and "Mở khóa học" in page
    # The page may be shown in the LMS's frame, and only there.
    policy = response["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {lms.issuer}" in policy
    identity = LtiIdentity.objects.get(platform=registration, sub="hs-1001")
    user = identity.user
    assert user.full_name == "Nguyễn Thị Lan" and user.phone is None
    assert not user.has_usable_password()
    assert Enrolment.objects.filter(user=user, course=course).exists()
    target = GradeTarget.objects.get(identity=identity, course=course)
    assert target.lineitem_url == lms.lineitem_url
    # Not signed in inside the frame: the session cookie would not work there.
    assert "_auth_user_id" not in client.session

    entered = client.get(_entry_url(response))

    assert entered.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    # A new account: the consent notice first, then back to the course.
    assert entered["Location"].startswith("/tai-khoan/")
    assert course.url_path.split("/")[-2] in entered["Location"]


def test_the_entry_link_works_once(client, lms, registration, courses):
    lms.custom = {"course_id": str(courses[0].pk)}
    entry = _entry_url(launch(client, lms))
    assert client.get(entry).status_code == 302
    client.logout()

    again = client.get(entry)

    assert again.status_code == 400
    assert "đã hết hạn hoặc đã được dùng" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_forged_entry_link_is_refused(client, lms, registration, courses):
    for ticket in ("abc", "x" * 2000, "eyJ1IjoxfQ:1:2"):
        response = client.get(f"/lti/vao/{ticket}/")
        assert response.status_code == 400
        assert "_auth_user_id" not in client.session


def test_a_second_launch_reaches_the_same_account_never_by_name(
    client, lms, registration, courses, make_learner
):
    # Someone here already has the platform user's name: never linked by it.
    namesake = make_learner(full_name="Nguyễn Thị Lan")
    lms.custom = {"course_id": str(courses[0].pk)}
    launch(client, lms)
    first = LtiIdentity.objects.get(sub="hs-1001").user
    assert first != namesake

    lms.person = {"sub": "hs-1001", "name": "Tên Khác"}
    launch(client, lms)

    assert LtiIdentity.objects.get(sub="hs-1001").user == first
    assert User.objects.filter(lti_identities__isnull=False).count() == 1


def test_the_same_sub_from_another_platform_is_another_person(
    client, lms, registration, courses
):
    from hocvuso.lti.models import LtiPlatform

    lms.custom = {"course_id": str(courses[0].pk)}
    launch(client, lms)
    other = LtiPlatform.objects.create(
        **{**lms.registration(), "client_id": "cong-cu-2", "name": "Moodle 2"}
    )
    lms.client_id = "cong-cu-2"
    cache.clear()

    launch(client, lms)

    users = {i.user_id for i in LtiIdentity.objects.filter(sub="hs-1001")}
    assert len(users) == 2
    assert LtiIdentity.objects.filter(platform=other).exists()


def test_a_launch_without_grades_still_opens_the_course(
    client, lms, registration, courses
):
    lms.grades = False
    lms.custom = {"course_id": str(courses[0].pk)}
    response = launch(client, lms)
    assert response.status_code == 200
    assert not GradeTarget.objects.exists()


def test_the_jwks_publishes_the_tool_key(client, db):
    response = client.get("/lti/jwks/")
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    assert "d" not in keys[0]  # the public half only
    assert client.get("/lti/jwks/").json() == response.json()
