"""Deep linking: a teacher's LtiDeepLinkingRequest lists the courses; the
chosen one goes back to the platform as a signed LtiDeepLinkingResponse,
whose custom parameter later launches that course."""

import re

import pytest
from hocvuso.lti.keys import tool_jwks
from hocvuso.lti.models import LtiIdentity

from .conftest import launch

pytestmark = pytest.mark.django_db

ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"


def _choice(page: str) -> str:
    return re.search(r'name="choice" value="([^"]+)"', page).group(1)


def test_a_teacher_chooses_a_course_and_the_platform_gets_it_signed(
    client, lms, registration, courses
):
    lms.message = "deep_link"
    response = launch(client, lms)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Chọn khóa học để thêm vào lớp" in page
    for course in courses:
        assert course.title in page
    # A teacher placing a course is not signed in or enrolled by it.
    assert not LtiIdentity.objects.exists()

    answer = client.post(
        "/lti/lien-ket/", {"choice": _choice(page), "course": courses[1].pk}
    )

    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'action="{lms.issuer}/deep-link-return"' in html
    assert f"form-action 'self' {lms.issuer}" in answer["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    lms.tool_jwks = tool_jwks()
    claims = lms.tool_jwt(token, audience=lms.issuer)
    assert claims["iss"] == lms.client_id
    assert (
        claims["https://purl.imsglobal.org/spec/lti/claim/message_type"]
        == "LtiDeepLinkingResponse"
    )
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == (
        "du-lieu-cua-nen-tang"
    )
    (item,) = claims[ITEMS]
    assert item["type"] == "ltiResourceLink"
    assert item["title"] == courses[1].title
    assert item["url"] == "http://testserver/lti/khoi-chay/"
    assert item["custom"] == {"course_id": str(courses[1].pk)}
    assert item["lineItem"]["scoreMaximum"] == 100

    # The placed activity launches that course.
    lms.message = "resource"
    lms.custom = item["custom"]
    launched = launch(client, lms)
    assert launched.status_code == 200
    assert courses[1].title in launched.content.decode()


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"choice": "gia-mao", "course": "1"},
        {"choice": "x" * 100_000, "course": "1"},
    ],
)
def test_a_forged_choice_is_refused(client, lms, registration, courses, form):
    response = client.post("/lti/lien-ket/", form)
    assert response.status_code == 400
    assert "Trang chọn khóa học đã hết hạn" in response.content.decode()


@pytest.mark.parametrize("course", ["", "abc", "-1", "9" * 30, "987654", "\x00"])
def test_a_bad_course_choice_is_refused(client, lms, registration, courses, course):
    lms.message = "deep_link"
    choice = _choice(launch(client, lms).content.decode())
    response = client.post("/lti/lien-ket/", {"choice": choice, "course": course})
    assert response.status_code == 400
    assert "Hãy chọn một khóa học" in response.content.decode()
