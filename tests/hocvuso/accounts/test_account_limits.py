"""Issue 14, part B: daily SMS caps, a daily ceiling on code guesses, and
password rules that refuse what an attacker tries first."""

import time
from unittest import mock

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from hocvuso.accounts import sms
from hocvuso.accounts.hashers import InitialPasswordHasher
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

CHANGE_PASSWORD = "/tai-khoan/password/change/"

pytestmark = pytest.mark.django_db


def wrong_code() -> str:
    return "000000" if last_code() != "000000" else "111111"


class _MinutesPass:
    """allauth's per-minute limits see a minute go by between two requests,
    so only the daily caps are left to stop them."""

    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    def __init__(self):
        self.now = time.time()

    def time(self):
        self.now += 61
        return self.now


@pytest.fixture
def minutes_pass():
    with mock.patch("allauth.core.internal.ratelimit.time", _MinutesPass()):
        yield


# --- Finding 4: no daily SMS cap ----------------------------------------------


def test_sms_codes_per_number_are_capped_per_day(
    learner, minutes_pass, settings, caplog
):
    cap = settings.SMS_CODES_PER_NUMBER_PER_DAY
    # Each request from its own address: the number alone is what is capped.
    for n in range(cap):
        client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        response = client.post(LOGIN_CODE, {"phone": learner.phone_local})
        assert response["Location"] == LOGIN_CODE_CONFIRM
    assert len(sms.outbox) == cap

    client = Client(REMOTE_ADDR="10.0.1.1")
    response = client.post(LOGIN_CODE, {"phone": learner.phone_local}, follow=True)
    assert response.status_code == 200
    assert (
        "Số điện thoại này đã nhận đủ số mã xác thực cho phép trong hôm nay. "
        "Vui lòng thử lại vào ngày mai." in page_text(response)
    )
    assert len(sms.outbox) == cap
    assert not response.wsgi_request.user.is_authenticated
    # The operator sees the refusal, never the whole number.
    logged = [r.getMessage() for r in caplog.records if r.name == "hocvuso.security"]
    assert logged == [
        f"SMS daily cap reached (sms-number) for number …{learner.phone[-3:]}"
    ]
    assert learner.phone[3:] not in caplog.text


def test_sms_telling_whether_a_number_has_an_account_share_the_daily_cap(
    minutes_pass, settings
):
    """Login by code for a number with no account sends an SMS too (it says
    where to sign up): it takes from the same daily budget and is refused
    with the same message, so the cap tells a stranger nothing either."""
    cap = settings.SMS_CODES_PER_NUMBER_PER_DAY
    for n in range(cap):
        client = Client(REMOTE_ADDR=f"10.0.2.{n + 1}")
        client.post(LOGIN_CODE, {"phone": "0987654321"})
    assert len(sms.outbox) == cap

    client = Client(REMOTE_ADDR="10.0.3.1")
    response = client.post(LOGIN_CODE, {"phone": "0987654321"}, follow=True)
    assert (
        "Số điện thoại này đã nhận đủ số mã xác thực cho phép trong hôm nay."
        in page_text(response)
    )
    assert len(sms.outbox) == cap


def test_sms_codes_per_address_are_capped_per_day(make_learner, minutes_pass, settings):
    settings.SMS_CODES_PER_ADDRESS_PER_DAY = 4
    learners = [make_learner() for _ in range(5)]
    for learner in learners[:4]:
        response = Client().post(LOGIN_CODE, {"phone": learner.phone_local})
        assert response["Location"] == LOGIN_CODE_CONFIRM
    assert len(sms.outbox) == 4

    response = Client().post(LOGIN_CODE, {"phone": learners[4].phone}, follow=True)
    assert response.status_code == 200
    assert (
        "Đã gửi quá nhiều mã xác thực từ mạng này trong hôm nay. "
        "Vui lòng thử lại vào ngày mai." in page_text(response)
    )
    assert len(sms.outbox) == 4
    # Another address is not held back by this one.
    response = Client(REMOTE_ADDR="10.9.9.9").post(
        LOGIN_CODE, {"phone": learners[4].phone}
    )
    assert response["Location"] == LOGIN_CODE_CONFIRM


def test_signup_past_the_daily_sms_cap_gets_a_message_not_an_error(
    privacy_notice, minutes_pass, settings
):
    settings.SMS_CODES_PER_ADDRESS_PER_DAY = 1
    Client().post(SIGNUP, {"full_name": "Trần Văn Bình", "phone": "0912345678"})
    assert len(sms.outbox) == 1
    response = Client().post(
        SIGNUP, {"full_name": "Lê Thị Cúc", "phone": "0912345679"}, follow=True
    )
    assert response.status_code == 200
    assert "Đã gửi quá nhiều mã xác thực từ mạng này trong hôm nay." in page_text(
        response
    )
    assert len(sms.outbox) == 1


# --- Finding 5: SMS-code guesses have no daily ceiling ----------------------------


def test_sms_code_guesses_per_account_are_capped_per_day(
    learner, minutes_pass, settings
):
    ceiling = settings.SMS_CODE_GUESSES_PER_ACCOUNT_PER_DAY
    settings.SMS_CODES_PER_NUMBER_PER_DAY = ceiling  # not what is tested here
    guesses = 0
    while guesses < ceiling:
        client = Client(REMOTE_ADDR=f"10.0.2.{guesses + 1}")
        client.post(LOGIN_CODE, {"phone": learner.phone})
        # allauth allows 3 tries per code, then a new code must be asked for.
        for _try in range(min(3, ceiling - guesses)):
            client.post(LOGIN_CODE_CONFIRM, {"code": wrong_code()})
            guesses += 1
    # The ceiling is reached: even the right code is refused today.
    client = Client(REMOTE_ADDR="10.0.3.1")
    client.post(LOGIN_CODE, {"phone": learner.phone})
    response = client.post(LOGIN_CODE_CONFIRM, {"code": last_code()})
    assert response.status_code == 200
    assert (
        "Tài khoản này đã nhập sai mã quá nhiều lần trong hôm nay. "
        "Vui lòng thử lại vào ngày mai." in page_text(response)
    )
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_phone_verification_guesses_count_toward_the_same_daily_ceiling(
    make_learner, minutes_pass, settings
):
    settings.SMS_CODE_GUESSES_PER_ACCOUNT_PER_DAY = 1
    unverified = make_learner(phone_verified=False)
    client = Client()
    response = client.post(
        LOGIN, {"login": unverified.username, "password": "Matkhau@2025"}
    )
    assert response["Location"] == VERIFY
    client.post(VERIFY, {"code": wrong_code()})
    response = client.post(VERIFY, {"code": last_code()})
    assert "Tài khoản này đã nhập sai mã quá nhiều lần trong hôm nay." in page_text(
        response
    )
    unverified.refresh_from_db()
    assert not unverified.phone_verified


# --- Finding 11: weak passwords and the printed password -------------------------


def test_forced_password_change_refuses_the_printed_password(client, make_learner):
    printed = "k3mnpq7rst"
    user = make_learner(must_change_password=True)
    user.password = make_password(printed, hasher=InitialPasswordHasher())
    user.save(update_fields=["password"])
    client.post(LOGIN, {"login": user.username, "password": printed})
    assert client.get(reverse("my_courses"))["Location"] == CHANGE_PASSWORD

    response = client.post(
        CHANGE_PASSWORD,
        {"oldpassword": printed, "password1": printed, "password2": printed},
    )
    assert response.status_code == 200
    assert "Mật khẩu mới phải khác mật khẩu hiện tại." in page_text(response)
    user.refresh_from_db()
    assert user.must_change_password
    assert client.get(reverse("my_courses"))["Location"] == CHANGE_PASSWORD


@pytest.mark.parametrize(
    "password", ["matkhau1", "Matkhau123", "hocvuso2025", "emyeuanh123", "vietnam123"]
)
def test_password_rules_refuse_common_vietnamese_passwords(
    client, privacy_notice, password
):
    response = client.post(
        SIGNUP,
        {"full_name": "Trần Văn Bình", "phone": "0912345678", "password1": password},
    )
    assert response.status_code == 200
    assert "Mật khẩu này quá phổ biến." in page_text(response)
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("full_name", "password"),
    [
        ("Nguyễn Văn An", "nguyenvanan"),
        ("Nguyễn Văn An", "NguyenVanAn@1"),
        ("Lê Hoàng Minh", "hoangminh1"),
        ("Đặng Thị Thương", "thuong2025"),
    ],
)
def test_password_rules_refuse_the_users_own_name(
    client, privacy_notice, full_name, password
):
    response = client.post(
        SIGNUP, {"full_name": full_name, "phone": "0912345678", "password1": password}
    )
    assert response.status_code == 200
    assert "Mật khẩu quá giống với họ và tên của bạn." in page_text(response)
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["ab0912345678", "sdt912345678!", "+84912345678x"])
def test_password_rules_refuse_the_users_phone_number(client, privacy_notice, password):
    response = client.post(
        SIGNUP,
        {"full_name": "Trần Văn Bình", "phone": "0912 345 678", "password1": password},
    )
    assert response.status_code == 200
    assert "Mật khẩu không được chứa số điện thoại của bạn." in page_text(response)
    assert not User.objects.exists()


def test_password_rules_refuse_the_name_at_the_forced_change_too(client, make_learner):
    user = make_learner(full_name="Phạm Thị Lan Anh")
    client.force_login(user)
    response = client.post(
        CHANGE_PASSWORD,
        {
            "oldpassword": "Matkhau@2025",
            "password1": "PhamLanAnh99",
            "password2": "PhamLanAnh99",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu quá giống với họ và tên của bạn." in page_text(response)


def test_a_good_password_is_still_accepted(client, privacy_notice):
    response = client.post(
        SIGNUP,
        {
            "full_name": "Nguyễn Văn An",
            "phone": "0912345678",
            "password1": "Ca phe sua da 2025",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(phone="+84912345678").has_usable_password()
