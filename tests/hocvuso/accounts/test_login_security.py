"""Issue 14, part A: the ways into an account hold against attackers.

Each test is named after the finding it reproduces: one login path with the
same limits and stages, no phone squatting, a lockout per account, no
classroom locked out by one person, and no flow that tells a stranger whether
a number has an account."""

import re

import pytest
from django.test import Client
from hocvuso.accounts import sms
from hocvuso.accounts.models import User

SIGNUP = "/tai-khoan/signup/"
VERIFY = "/tai-khoan/phone/verify/"
LOGIN = "/tai-khoan/login/"
LOGIN_CODE = "/tai-khoan/login/code/"
LOGIN_CODE_CONFIRM = "/tai-khoan/login/code/confirm/"
PROFILE = "/tai-khoan/ho-so/"
PASSWORD = "Matkhau@2025"
LOCKED = "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau."

pytestmark = pytest.mark.django_db


def last_code() -> str:
    assert sms.outbox, "no SMS was sent"
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def logged_in_user(client: Client):
    return client.get("/").wsgi_request.user


# --- 1. One password login, with allauth's limits and stages -----------------


@pytest.mark.parametrize(
    "path", ["/cms/login/", "/django-admin/login/", "/_util/login/"]
)
def test_password_login_outside_allauth_is_closed(make_learner, path):
    """The CMS, the Django admin and Wagtail's private-page login used to take
    a password with no rate limit and no phone verification."""
    learner = make_learner(phone_verified=False, is_staff=True)
    client = Client()
    for n in range(12):
        client.post(path, {"username": learner.username, "password": f"sai{n}"})
    response = client.post(
        path + "?next=/cms/", {"username": learner.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "next=/cms/" in response["Location"]
    assert not logged_in_user(client).is_authenticated
    assert not User.objects.get(pk=learner.pk).last_login


def test_cms_sends_visitors_to_the_one_login_page(client):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_editor_without_phone_logs_in_to_the_cms_through_allauth(db):
    """Editors and superusers have no phone; the one login path lets them in
    with their password, under the same failure limits."""
    User.objects.create_superuser(username="bientap", password=PASSWORD)
    client = Client()
    response = client.post(
        LOGIN + "?next=/cms/", {"login": "bientap", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/cms/"
    assert client.get("/cms/").status_code == 200


def test_password_login_of_an_unverified_phone_asks_for_the_sms_code(make_learner):
    learner = make_learner(phone_verified=False, is_staff=True)
    client = Client()
    response = client.post(LOGIN, {"login": learner.username, "password": PASSWORD})
    assert response["Location"] == VERIFY
    assert not logged_in_user(client).is_authenticated
    assert client.get("/cms/").status_code == 302


# --- 3. The lockout counts the account, not what was typed ----------------------


def test_login_lockout_counts_the_account_not_what_was_typed(make_learner):
    make_learner(phone="+84901000011", username="hocvien11")
    spellings = [
        "0901000011",
        "0901 000 011",
        "+84901000011",
        "(0901) 000011",
        "HOCVIEN11",
    ]
    for spelling in spellings:
        response = Client().post(LOGIN, {"login": spelling, "password": "sai-mat-khau"})
        assert response.status_code == 200
        assert LOCKED not in page_text(response)
    # A sixth spelling with the right password: the account is locked.
    client = Client()
    response = client.post(LOGIN, {"login": "84901000011", "password": PASSWORD})
    assert response.status_code == 200
    assert LOCKED in page_text(response)
    assert not logged_in_user(client).is_authenticated
