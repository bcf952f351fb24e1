"""An LMS registered in the CMS (the stand-in of tests/lti_platform.py) and
a catalogue of two courses; `launch` runs the login initiation and the
launch through the test client, the id_token coming from the stand-in."""

from urllib.parse import parse_qs, urlsplit

import pytest
from hocvuso.lti.models import LtiPlatform

from courses.models import CoursePage
from tests.lti_platform import LtiPlatformStandIn


@pytest.fixture
def lms():
    stand_in = LtiPlatformStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def registration(lms, db) -> LtiPlatform:
    return LtiPlatform.objects.create(**lms.registration())


@pytest.fixture
def courses(build_catalog, privacy_notice) -> list[CoursePage]:
    build_catalog(courses=2, lessons=1)
    return list(CoursePage.objects.order_by("path"))


def login_initiation(client, lms, **extra):
    return client.post("/lti/dang-nhap/", lms.login_params(**extra))


def launch(client, lms, **form_overrides):
    """Login initiation → the platform's authorisation → the launch POST.
    Returns the launch's response."""
    response = login_initiation(client, lms)
    assert response.status_code == 302, response.content[:500]
    location = urlsplit(response["Location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}" == f"{lms.issuer}/auth"
    )
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    granted = lms.authorize(query)
    assert granted.redirect_uri == "http://testserver/lti/khoi-chay/"
    return client.post("/lti/khoi-chay/", {**granted.form, **form_overrides})
