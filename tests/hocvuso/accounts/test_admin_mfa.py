"""Issue 14: two-factor authentication (allauth's TOTP and recovery codes) for
every administrator role before any /quan-tri/ or /cms/ page; optional for
learners."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from hocvuso.accounts import sms
from hocvuso.orgunits.models import AdminRole, AdminRoleKind

ACTIVATE = "/tai-khoan/2fa/totp/activate/"
MFA_AUTHENTICATE = "/tai-khoan/2fa/authenticate/"
LOGIN = "/tai-khoan/login/"
REAUTHENTICATE = "/tai-khoan/reauthenticate/"
EXPLANATION = (
    "Tài khoản quản trị phải bật xác thực hai bước trước khi vào trang quản trị."
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mfa_enforced(settings):
    settings.ADMIN_MFA_REQUIRED = True


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def give_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def password_login(client, user) -> None:
    # allauth lets only accounts with a verified phone number log in.
    user.phone, user.phone_verified = "+84912000001", True
    user.save(update_fields=["phone", "phone_verified"])
    response = client.post(LOGIN, {"login": user.username, "password": "Matkhau@2025"})
    assert response.status_code == 302


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.fixture
def content_editor(org_tree, make_learner):
    editor = make_learner(username="bien_tap")
    AdminRole.objects.create(
        user=editor, role=AdminRoleKind.CONTENT_EDITOR, unit=org_tree.provinces[0]
    )
    return editor


ADMIN_LABELS = ["commune0.0", "province0", "superuser"]


@pytest.mark.parametrize("label", ADMIN_LABELS)
@pytest.mark.parametrize("path", ["/quan-tri/", "/quan-tri/bao-cao/", "/cms/"])
def test_admin_without_second_factor_is_sent_to_set_one_up(org_tree, label, path):
    client = Client()
    client.force_login(org_tree.admins[label])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_content_editor_without_second_factor_is_sent_to_set_one_up(content_editor):
    client = Client()
    client.force_login(content_editor)
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_admin_is_told_in_vietnamese_why_and_the_setup_page_reads_in_vietnamese(
    org_tree,
):
    admin = org_tree.admins["commune0.0"]
    client = Client()
    password_login(client, admin)
    response = client.get("/quan-tri/", follow=True)
    # allauth asks for the password again before a second factor is added.
    assert response.redirect_chain[0][0] == ACTIVATE
    assert response.redirect_chain[-1][0].startswith(REAUTHENTICATE)
    assert EXPLANATION in page_text(response)
    response = client.post(
        response.redirect_chain[-1][0], {"password": "Matkhau@2025"}, follow=True
    )
    assert response.redirect_chain[-1][0] == ACTIVATE
    text = page_text(response)
    assert "Kích hoạt ứng dụng xác thực" in text
    assert "Khóa bí mật của ứng dụng xác thực" in text
    assert "quét mã QR" in text
    assert 'inputmode="numeric"' in text  # the digit keypad on a phone
    for english in ("Authenticator App", "Activate", "Authenticator secret", "scan"):
        assert english not in text


def test_admin_with_totp_gets_through_after_force_login(org_tree):
    admin = org_tree.admins["province0"]
    give_totp(admin)
    client = Client()
    client.force_login(admin)
    assert client.get("/quan-tri/").status_code == 200
    assert client.get("/quan-tri/bao-cao/", follow=True).status_code == 200
    superuser = org_tree.admins["superuser"]
    give_totp(superuser)
    client.force_login(superuser)
    assert client.get("/cms/").status_code == 200


def test_admin_without_second_factor_can_still_reach_setup_logout_and_static(
    org_tree,
):
    client = Client()
    client.force_login(org_tree.admins["commune0.0"])
    assert client.get("/tai-khoan/2fa/").status_code == 200
    assert client.get("/tai-khoan/logout/").status_code == 200
    assert client.get("/").status_code == 200
    response = client.post("/tai-khoan/logout/")
    assert response.status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_learner_is_not_asked_for_a_second_factor(client, learner):
    client.force_login(learner)
    assert client.get("/").status_code == 200
    # Not an administrator: the admin pages refuse as before, with no detour.
    assert client.get("/quan-tri/").status_code == 403
    # Learners may still turn it on themselves.
    assert client.get("/tai-khoan/2fa/").status_code == 200


def test_admin_with_totp_must_enter_the_code_at_login(org_tree):
    admin = org_tree.admins["commune0.0"]
    secret = give_totp(admin)
    client = Client()
    admin.phone, admin.phone_verified = "+84912000001", True
    admin.save(update_fields=["phone", "phone_verified"])
    response = client.post(LOGIN, {"login": admin.username, "password": "Matkhau@2025"})
    assert response["Location"] == MFA_AUTHENTICATE
    assert not client.get("/").wsgi_request.user.is_authenticated
    page = page_text(client.get(MFA_AUTHENTICATE))
    assert "Tài khoản của bạn được bảo vệ bằng xác thực hai bước." in page

    response = client.post(MFA_AUTHENTICATE, {"code": "000000"})
    assert "Mã không đúng" in page_text(response)
    response = client.post(MFA_AUTHENTICATE, {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/quan-tri/").status_code == 200


def test_admin_with_totp_must_enter_the_code_after_an_sms_login_code_too(org_tree):
    admin = org_tree.admins["province0"]
    admin.phone, admin.phone_verified = "+84912000002", True
    admin.save(update_fields=["phone", "phone_verified"])
    give_totp(admin)
    client = Client()
    client.post("/tai-khoan/login/code/", {"phone": admin.phone})
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    response = client.post("/tai-khoan/login/code/confirm/", {"code": code})
    assert response["Location"] == MFA_AUTHENTICATE
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_recovery_codes_are_made_with_the_totp_authenticator(org_tree):
    admin = org_tree.admins["commune0.0"]
    client = Client()
    password_login(client, admin)
    client.post(REAUTHENTICATE, {"password": "Matkhau@2025"})
    page = client.get(ACTIVATE).content.decode()
    secret = re.search(r'value="([A-Z2-7]{32})"', page).group(1)
    response = client.post(ACTIVATE, {"code": current_code(secret)}, follow=True)
    assert response.status_code == 200
    assert set(
        Authenticator.objects.filter(user=admin).values_list("type", flat=True)
    ) == {"totp", "recovery_codes"}
    assert "Mã chưa dùng" in page_text(response)
    assert client.get("/quan-tri/").status_code == 200
