"""Every refused launch answers a Vietnamese 400 page, signs no one in
and writes nothing: forged, expired and tampered id_tokens, another
audience, an unknown issuer or deployment, a replayed nonce, a bad state,
missing claims, garbage in every field."""

from urllib.parse import parse_qs, urlsplit

import pytest
from hocvuso.lti.models import LtiIdentity

from courses.models import Enrolment

from .conftest import launch, login_initiation

pytestmark = pytest.mark.django_db

REFUSED = "Không mở được khóa học"


def _refused(response, *, text: str = "") -> None:
    assert response.status_code == 400, response.content[:300]
    page = response.content.decode()
    assert REFUSED in page and text in page
    assert not LtiIdentity.objects.exists()
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    "spoil",
    [
        "expired",
        "tampered",
        "other_key",
        "audience",
        "issuer",
        "deployment",
        "nonce",
        "no_sub",
        "no_version",
        "none_alg",
        "hs256",
    ],
)
def test_a_spoiled_id_token_is_refused(client, lms, registration, courses, spoil):
    lms.custom = {"course_id": str(courses[0].pk)}
    lms.spoil = spoil
    _refused(launch(client, lms), text="không hợp lệ")


def test_a_launch_without_a_course_is_refused_with_what_to_do(
    client, lms, registration, courses
):
    lms.spoil = "no_custom"
    _refused(launch(client, lms), text="chọn lại khóa học")


@pytest.mark.parametrize(
    "value", ["", "abc", "-1", "0", "9" * 40, "1e5", "١٢", {"a": 1}, [1], True]
)
def test_a_bad_course_parameter_is_refused(client, lms, registration, courses, value):
    lms.custom = {"course_id": value}
    response = launch(client, lms)
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_an_unknown_course_is_refused(client, lms, registration, courses):
    lms.custom = {"course_id": "987654"}
    _refused(launch(client, lms), text="Không tìm thấy khóa học")


def test_a_replayed_launch_is_refused(client, lms, registration, courses):
    lms.custom = {"course_id": str(courses[0].pk)}
    assert launch(client, lms).status_code == 200
    replay = lms.launches[-1]

    response = client.post("/lti/khoi-chay/", replay.form)

    assert response.status_code == 400
    assert LtiIdentity.objects.count() == 1


def test_a_launch_with_another_browsers_state_is_refused(
    client, lms, registration, courses
):
    lms.custom = {"course_id": str(courses[0].pk)}
    response = login_initiation(client, lms)
    query = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    granted = lms.authorize(query)
    client.cookies.clear()  # the victim's browser never started this login

    _refused(client.post("/lti/khoi-chay/", granted.form))


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"state": "state-x"},
        {"id_token": "a.b.c", "state": "state-x"},
        {"id_token": "x" * 100_000, "state": "y" * 10_000},
        {"id_token": "\x00\x1b.\u202e.'", "state": "\x00"},
    ],
)
def test_garbage_launch_posts_are_refused(client, lms, registration, courses, form):
    _refused(client.post("/lti/khoi-chay/", form))


def test_a_state_with_a_garbage_token_is_refused(client, lms, registration, courses):
    lms.custom = {"course_id": str(courses[0].pk)}
    response = login_initiation(client, lms)
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    for token in ("a.b.c", "e30.W10.sig", "eyJhbGciOiJSUzI1NiJ9.bnVsbA.x"):
        _refused(client.post("/lti/khoi-chay/", {"id_token": token, "state": state}))


def test_the_launch_answers_only_post(client, lms, registration):
    assert client.get("/lti/khoi-chay/").status_code == 405


@pytest.mark.parametrize(
    "params",
    [
        {"iss": "https://moodle.la.example"},
        {"iss": ""},
        {"login_hint": ""},
        {"client_id": "cong-cu-khac"},
        {"iss": "\x00" * 10},
        {"iss": "x" * 50_000},
        {"client_id": "\x00"},
        {"client_id": "y" * 5_000},
    ],
)
def test_a_login_initiation_from_an_unknown_platform_is_refused(
    client, lms, registration, params
):
    response = login_initiation(client, lms, **params)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_a_switched_off_platform_is_refused(client, lms, registration, courses):
    registration.enabled = False
    registration.save()
    assert login_initiation(client, lms).status_code == 400
