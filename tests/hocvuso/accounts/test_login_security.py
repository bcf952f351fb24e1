"""Issue 14, part A: the ways into an account hold against attackers.

Each test is named after the finding it reproduces: one login path with the
same limits and stages, no phone squatting, a lockout per account, no
classroom locked out by one person, and no flow that tells a stranger whether
a number has an account."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from hocvuso.accounts import sms
from hocvuso.accounts.models import User

from .auth_flows import (
    LOGIN,
    LOGIN_CODE,
    LOGIN_CODE_CONFIRM,
    SIGNUP,
    VERIFY,
    last_code,
    page_text,
)

PROFILE = "/tai-khoan/ho-so/"
PASSWORD = "Matkhau@2025"
LOCKED = "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau."

pytestmark = pytest.mark.django_db


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


def test_production_has_no_django_admin():
    """The issue: the Django admin is not needed in production."""
    probe = (
        "import django; django.setup(); from django.urls import resolve; "
        "print(resolve('/django-admin/').view_name, "
        "resolve('/cms/login/').func.__name__); "
        # Every middleware still answers a request without the admin's URLs.
        "from django.http import HttpResponse; "
        "from django.test import RequestFactory; "
        "from hocvuso.accounts.middleware import "
        "AdminSecondFactorRequiredMiddleware as M; "
        "print(M(lambda r: HttpResponse()).__call__("
        "RequestFactory().get('/healthz')).status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[3] / "platform",
        env={
            **os.environ,
            # This checkout's code, as pytest's pythonpath gives it.
            "PYTHONPATH": os.pathsep.join(sys.path),
            "DJANGO_SETTINGS_MODULE": "hocvuso.settings.production",
            "SECRET_KEY": "x" * 60,
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wagtail_serve", "login_elsewhere", "200"]


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


# --- 2. An unverified sign-up never holds a number against its owner -----------

NUMBER = "0912 345 678"
SQUATTER_PASSWORD = "Tuyet-Voi@2025"


def sign_up(client: Client, *, name: str, password: str = "") -> None:
    client.post(SIGNUP, {"full_name": name, "phone": NUMBER, "password1": password})
    sms.outbox.clear()  # the code went to the owner's phone, not to this client


def log_in_by_code(client: Client) -> None:
    client.post(LOGIN_CODE, {"phone": NUMBER})
    client.post(LOGIN_CODE_CONFIRM, {"code": last_code()})


def test_phone_squatting_ends_when_the_owner_proves_the_number(privacy_notice):
    squatter = Client()
    sign_up(squatter, name="Kẻ chiếm số", password=SQUATTER_PASSWORD)
    account = User.objects.get(phone="+84912345678")
    assert not account.phone_verified
    # A session the squatter holds (from before the one login path).
    squatter.force_login(account)
    assert squatter.get(PROFILE).status_code == 200

    owner = Client()
    log_in_by_code(owner)
    assert logged_in_user(owner) == account
    account.refresh_from_db()
    assert account.phone_verified

    # The squatter is out: his session is gone and his password refused.
    assert squatter.get(PROFILE).status_code == 302
    assert not logged_in_user(squatter).is_authenticated
    again = Client()
    response = again.post(LOGIN, {"login": NUMBER, "password": SQUATTER_PASSWORD})
    assert response.status_code == 200
    assert not logged_in_user(again).is_authenticated
    # Whatever the squatter agreed to in the owner's name does not count.
    assert not account.consents.exists()
    # The owner is told why a password they may have set no longer works.
    shown = page_text(owner.get(PROFILE, follow=True))
    assert "Mật khẩu đặt trước đó cho tài khoản này không còn dùng được" in shown


def test_learner_who_proves_the_number_at_sign_up_keeps_the_password(
    privacy_notice,
):
    client = Client()
    client.post(SIGNUP, {"full_name": "Chủ số", "phone": NUMBER, "password1": PASSWORD})
    client.post(VERIFY, {"code": last_code()})
    assert logged_in_user(client).phone == "+84912345678"

    later = Client()
    later.post(LOGIN, {"login": NUMBER, "password": PASSWORD})
    assert logged_in_user(later).phone == "+84912345678"


def test_learner_who_proves_the_number_after_the_password_keeps_it(make_learner):
    learner = make_learner(phone="+84912345678", phone_verified=False)
    client = Client()
    response = client.post(LOGIN, {"login": NUMBER, "password": PASSWORD})
    assert response["Location"] == VERIFY
    client.post(VERIFY, {"code": last_code()})
    assert logged_in_user(client) == learner

    later = Client()
    later.post(LOGIN, {"login": NUMBER, "password": PASSWORD})
    assert logged_in_user(later) == learner
    assert client.get(PROFILE).status_code == 200


# --- 12. One person cannot lock a classroom behind one address -----------------


def test_one_person_cannot_lock_a_classroom_behind_one_address(make_learner):
    """A training day: forty learners behind the school's one address. One of
    them hammers a classmate's account and tries numbers at random."""
    classmates = [make_learner() for _ in range(4)]
    troublemaker = Client()
    for n in range(8):
        troublemaker.post(
            LOGIN, {"login": classmates[0].username, "password": f"sai{n}"}
        )
    for n in range(8):
        troublemaker.post(LOGIN, {"login": f"09{n}8765432", "password": "sai"})

    # The hammered account is locked, as brute-force protection requires...
    response = Client().post(
        LOGIN, {"login": classmates[0].username, "password": PASSWORD}
    )
    assert LOCKED in page_text(response)
    # ...but the rest of the classroom logs in.
    for learner in classmates[1:]:
        client = Client()
        response = client.post(LOGIN, {"login": learner.username, "password": PASSWORD})
        assert response.status_code == 302, page_text(response)
        assert logged_in_user(client) == learner


def test_a_classroom_logging_in_at_once_is_not_turned_away(make_learner):
    learners = [make_learner() for _ in range(45)]
    for learner in learners:
        response = Client().post(
            LOGIN, {"login": learner.username, "password": PASSWORD}
        )
        assert response.status_code == 302


def test_a_classroom_signing_up_at_once_is_not_turned_away(privacy_notice):
    """A training day: forty citizens sign up on the school's network in the
    same minute; each gets the page for their code and the code itself."""
    for n in range(40):
        response = Client().post(
            SIGNUP,
            {
                "full_name": f"Học Viên Lớp {chr(65 + n % 26)}",
                "phone": f"0912 000 {n:03d}",
                "password1": PASSWORD,
            },
        )
        assert response.status_code == 302, n
        assert response["Location"] == VERIFY, n
    assert len(sms.outbox) == 40


def test_password_guessing_from_one_address_is_still_stopped(make_learner):
    """Many accounts, a few guesses each: the per-account limit never trips,
    so the address has a limit of its own, far above a classroom's typos."""
    learner = make_learner()
    for n in range(100):
        Client().post(LOGIN, {"login": f"hocvien-{n}", "password": "123456"})
    response = Client().post(LOGIN, {"login": learner.username, "password": PASSWORD})
    assert not response.wsgi_request.user.is_authenticated
    assert LOCKED in page_text(response)


# --- 13. No flow tells a stranger whether a number has an account ---------------


def what_a_stranger_sees(response) -> tuple:
    """Status, where it leads and the page it leads to, minus the number."""
    location = response.get("Location", "")
    shown = page_text(response.client.get(location) if location else response)
    shown = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", shown)
    return response.status_code, location, shown.replace("0912345678", "NUMBER")


def test_signup_does_not_say_whether_a_number_has_an_account(privacy_notice):
    unknown = what_a_stranger_sees(
        Client().post(SIGNUP, {"full_name": "Người lạ", "phone": "0912345678"})
    )
    User.objects.all().delete()  # the sign-up made an account: start again
    cache.clear()  # a minute later, past the per-number limit on codes
    sms.outbox.clear()
    holder = User.objects.create_user(
        username="chuso", password=PASSWORD, phone="+84912345678", phone_verified=True
    )
    known = what_a_stranger_sees(
        Client().post(SIGNUP, {"full_name": "Người lạ", "phone": "0912345678"})
    )
    assert known == unknown
    assert User.objects.get() == holder  # nothing created
    # The owner of the number, and only they, learn that the account exists.
    assert sms.outbox[-1].to == "+84912345678"
    assert "đã có tài khoản" in sms.outbox[-1].text
    assert "Gửi mã đăng nhập cho tôi" in sms.outbox[-1].text


def test_login_by_code_does_not_say_whether_a_number_has_an_account(
    privacy_notice,
):
    unknown = what_a_stranger_sees(Client().post(LOGIN_CODE, {"phone": "0912345678"}))
    assert sms.outbox[-1].to == "+84912345678"
    assert "chưa có tài khoản" in sms.outbox[-1].text
    assert "/tai-khoan/signup/" in sms.outbox[-1].text
    cache.clear()
    User.objects.create_user(
        username="chuso", password=PASSWORD, phone="+84912345678", phone_verified=True
    )
    known = what_a_stranger_sees(Client().post(LOGIN_CODE, {"phone": "0912345678"}))
    assert known == unknown


def test_password_reset_does_not_say_whether_an_address_has_an_account(db):
    reset = "/tai-khoan/password/reset/"
    unknown = what_a_stranger_sees(Client().post(reset, {"email": "ai@vidu.vn"}))
    User.objects.create_user(username="bientap", email="ai@vidu.vn", password=PASSWORD)
    known = what_a_stranger_sees(Client().post(reset, {"email": "ai@vidu.vn"}))
    assert known == unknown
