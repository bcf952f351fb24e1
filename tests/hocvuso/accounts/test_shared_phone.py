"""A shared phone (a family's, the commune's) at log-in: ticking "Đây là điện
thoại dùng chung" ends the session when the browser closes, for a password
and for an SMS code alike; otherwise the session lasts as before."""

import pytest
from django.conf import settings

from .auth_flows import LOGIN, LOGIN_CODE, LOGIN_CODE_CONFIRM, last_code, page_text

pytestmark = pytest.mark.django_db

FOURTEEN_DAYS = 14 * 24 * 3600


def session_cookie(client):
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return cookie["max-age"], cookie["expires"]


def password_login(client, learner, **extra):
    response = client.post(
        LOGIN, {"login": learner.username, "password": "Matkhau@2025", **extra}
    )
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == learner


def code_login(client, learner, **extra):
    response = client.post(LOGIN_CODE, {"phone": learner.phone, **extra})
    assert response.status_code == 302
    response = client.post(LOGIN_CODE_CONFIRM, {"code": last_code()})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == learner


def test_both_login_pages_offer_the_choice_unticked(client):
    for url in (LOGIN, LOGIN_CODE):
        page = page_text(client.get(url))
        assert "Đây là điện thoại dùng chung" in page, url
        assert 'type="checkbox" name="shared_device"' in page, url
        assert 'name="shared_device" checked' not in page, url


def test_password_login_on_a_shared_phone_ends_with_the_browser(client, learner):
    password_login(client, learner, shared_device="on")
    assert session_cookie(client) == ("", "")


def test_password_login_by_default_lasts_two_weeks(client, learner):
    password_login(client, learner)
    max_age, expires = session_cookie(client)
    assert int(max_age) == FOURTEEN_DAYS
    assert expires


def test_code_login_on_a_shared_phone_ends_with_the_browser(client, learner):
    code_login(client, learner, shared_device="on")
    assert session_cookie(client) == ("", "")


def test_code_login_by_default_lasts_two_weeks(client, learner):
    code_login(client, learner)
    assert int(session_cookie(client)[0]) == FOURTEEN_DAYS


def test_a_shared_phone_then_a_personal_login_lasts_again(client, learner):
    code_login(client, learner, shared_device="on")
    client.logout()
    password_login(client, learner)
    assert int(session_cookie(client)[0]) == FOURTEEN_DAYS
