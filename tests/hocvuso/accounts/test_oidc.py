"""Sign-in with an identity provider (OpenID Connect) against a real provider
served on 127.0.0.1 (tests/oidc_provider.py): an account is reached by the
provider's `sub` once linked, else only by a phone number the provider says
it verified, never by name; a refusal, an expired, tampered or misdirected
ID token leave the visitor logged out with a Vietnamese page, never a 500."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user
from django.test import Client
from hocvuso.accounts.models import User
from hocvuso.accounts.social_adapter import SocialAccountAdapter

from tests.oidc_provider import LocalProvider

from .auth_flows import LOGIN, page_text

pytestmark = pytest.mark.django_db

PROVIDER_ID = "dinh-danh-thu"
PROVIDER_NAME = "Định danh thử"
START = f"/tai-khoan/oidc/{PROVIDER_ID}/login/"
NUMBER = "+84912345678"
NO_VERIFIED_PHONE = "chưa có số điện thoại đã được xác thực"
FAILED = "Không xác nhận được thông tin đăng nhập từ nhà cung cấp định danh"


@pytest.fixture
def idp():
    provider = LocalProvider(
        person={
            "sub": "cong-dan-001",
            "name": "Trần Văn Định",
            "phone_number": "0912 345 678",
            "phone_number_verified": True,
        }
    ).start()
    yield provider
    provider.stop()


@pytest.fixture
def identity_app(idp):
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name=PROVIDER_NAME,
        client_id=idp.client_id,
        secret=idp.client_secret,
        settings={"server_url": idp.issuer, "sites": ["*"]},
    )


def sign_in(client: Client, idp: LocalProvider, *, allow: bool = True, start=START):
    """Press the provider's button, answer at the provider, come back."""
    leaving = client.post(start)
    assert leaving.status_code == 302, leaving.content[:500]
    authorize = urlsplit(leaving["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}" == idp.issuer
    params = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    _status, headers, _body = idp.decide(params, allow=allow)
    return client.get(dict(headers)["Location"], follow=True)


def logged_in(client: Client):
    return get_user(client)


# ------------------------------------------------------------------ linking


def test_a_verified_number_links_the_existing_account_and_then_the_sub_does(
    client, idp, identity_app, make_learner
):
    owner = make_learner(phone=NUMBER, full_name="Trần Thị Chủ")
    page = sign_in(client, idp)
    assert logged_in(client) == owner
    assert page.status_code == 200
    greeting = page_text(client.get("/tai-khoan/ho-so/"))
    assert "Bạn đã đăng nhập với tên Trần Thị Chủ" in greeting
    owner.refresh_from_db()
    assert owner.full_name == "Trần Thị Chủ"  # the provider's name changes nothing
    (link,) = SocialAccount.objects.filter(user=owner)
    assert (link.provider, link.uid) == (PROVIDER_ID, "cong-dan-001")
    # Only the claims we use are kept.
    assert set(link.extra_data["userinfo"]) <= {
        "iss",
        "sub",
        "name",
        "phone_number",
        "phone_number_verified",
    }

    # Later the provider's number changes: the linked `sub` still decides.
    idp.person["phone_number"] = "0987 654 321"
    again = Client()
    sign_in(again, idp)
    assert logged_in(again) == owner
    assert User.objects.count() == 1


def test_an_unverified_number_is_never_linked(client, idp, identity_app, make_learner):
    owner = make_learner(phone=NUMBER)
    idp.person["phone_number_verified"] = False
    page = sign_in(client, idp)
    assert not logged_in(client).is_authenticated
    assert page.redirect_chain[-1][0] == LOGIN
    assert NO_VERIFIED_PHONE in page_text(page)
    assert not SocialAccount.objects.exists()
    assert list(User.objects.all()) == [owner]


@pytest.mark.parametrize("verified", ["true", 1, "yes"])
def test_only_a_boolean_true_counts_as_verified(
    client, idp, identity_app, make_learner, verified
):
    make_learner(phone=NUMBER)
    idp.person["phone_number_verified"] = verified
    sign_in(client, idp)
    assert not logged_in(client).is_authenticated
    assert not SocialAccount.objects.exists()


def test_a_name_alone_never_reaches_an_account(client, idp, identity_app, make_learner):
    namesake = make_learner(full_name="Trần Văn Định", phone="+84901000001")
    del idp.person["phone_number"]
    sign_in(client, idp)
    assert not logged_in(client).is_authenticated
    assert not SocialAccount.objects.exists()
    # With a verified number of its own, the namesake gets an account of
    # their own, not the other one's.
    idp.person["phone_number"] = "0987 654 321"
    sign_in(client, idp)
    user = logged_in(client)
    assert user.is_authenticated and user != namesake
    assert user.phone == "+84987654321"


def test_a_new_number_gets_a_new_account_that_consents_and_says_where_it_lives(
    client, idp, identity_app, privacy_notice
):
    page = sign_in(client, idp)
    user = logged_in(client)
    assert user.is_authenticated
    assert (user.phone, user.phone_verified) == (NUMBER, True)
    assert user.full_name == "Trần Văn Định"
    assert user.username == "84912345678"
    assert not user.has_usable_password()
    # As after a sign-up by phone: the notice, then where they live.
    assert page.redirect_chain[-1][0].startswith("/tai-khoan/dong-y/")
    assert "noi-song" in page.redirect_chain[-1][0]


def test_an_unproven_sign_up_with_the_number_loses_its_password(
    client, idp, identity_app, make_learner
):
    squatted = make_learner(phone=NUMBER, phone_verified=False, password="Kechiem@2025")
    sign_in(client, idp)
    assert logged_in(client) == squatted
    squatted.refresh_from_db()
    assert squatted.phone_verified
    assert not squatted.has_usable_password()
    assert not squatted.consents.exists()  # agreed by whoever chose the password
    shown = page_text(client.get("/tai-khoan/ho-so/", follow=True))
    assert "Mật khẩu đặt trước đó cho tài khoản này không còn dùng được" in shown


def test_a_second_identity_with_the_same_number_does_not_take_the_account(
    client, idp, identity_app, make_learner
):
    owner = make_learner(phone=NUMBER)
    sign_in(client, idp)
    assert logged_in(client) == owner
    # A family member's identity, registered with the same phone.
    idp.person["sub"] = "cong-dan-002"
    other = Client()
    page = sign_in(other, idp)
    assert not logged_in(other).is_authenticated
    assert "đã gắn với một tài khoản định danh khác" in page_text(page)
    assert SocialAccount.objects.count() == 1


@pytest.mark.parametrize("step", ["pre_social_login", "is_auto_signup_allowed"])
def test_two_first_sign_ins_with_one_new_number_are_never_a_500(
    client, idp, identity_app, privacy_notice, monkeypatch, step
):
    """Two phones pressing the button at once with the same new number: the
    other one makes the account just after this one's check (`step`). This
    one is told to try again; trying again reaches that account."""
    checked = getattr(SocialAccountAdapter, step)

    def other_phone_wins(self, request, sociallogin):
        out = checked(self, request, sociallogin)
        if not User.objects.filter(phone=NUMBER).exists():
            User.objects.create_user(
                username="84912345678", phone=NUMBER, phone_verified=True
            )
        return out

    monkeypatch.setattr(SocialAccountAdapter, step, other_phone_wins)
    page = sign_in(client, idp)
    assert not logged_in(client).is_authenticated
    assert "Hãy thử lại" in page_text(page)
    assert User.objects.filter(phone=NUMBER).count() == 1
    sign_in(client, idp)
    assert logged_in(client) == User.objects.get(phone=NUMBER)


def test_a_logged_in_user_cannot_attach_an_identity(
    client, idp, identity_app, make_learner
):
    someone = make_learner(phone="+84901000001")
    client.force_login(someone)
    page = sign_in(client, idp, start=f"{START}?process=connect")
    assert page.redirect_chain[-1][0] == "/tai-khoan/ho-so/"
    assert "chỉ dùng được để đăng nhập" in page_text(page)
    assert not SocialAccount.objects.exists()


# ------------------------------------------------------- refusals and tokens


def test_saying_no_at_the_provider_shows_a_vietnamese_page(client, idp, identity_app):
    page = sign_in(client, idp, allow=False)
    assert page.status_code == 200
    assert "Đã hủy đăng nhập" in page_text(page)
    assert not logged_in(client).is_authenticated


@pytest.mark.parametrize(
    "spoil",
    [
        "expired",
        "tampered",
        "other_key",
        "audience",
        "nonce",
        "subject",
        "none_alg",
        "hs256",
    ],
)
def test_a_bad_id_token_is_refused(client, idp, identity_app, make_learner, spoil):
    make_learner(phone=NUMBER)
    idp.spoil = spoil
    page = sign_in(client, idp)
    assert page.status_code == 401  # allauth's answer to a failed login
    assert FAILED in page_text(page)
    assert not logged_in(client).is_authenticated
    assert not SocialAccount.objects.exists()
    assert idp.token_requests == 1  # the refusal came after a real exchange


def test_the_same_answer_cannot_be_played_twice(client, idp, identity_app, learner):
    leaving = client.post(START)
    params = {k: v[0] for k, v in parse_qs(urlsplit(leaving["Location"]).query).items()}
    _status, headers, _body = idp.decide(params, allow=True)
    back = dict(headers)["Location"]
    client.get(back)
    client.post("/tai-khoan/logout/")
    replay = client.get(back, follow=True)
    assert replay.status_code == 401
    assert FAILED in page_text(replay)
    assert not logged_in(client).is_authenticated


@pytest.mark.parametrize(
    "claims",
    [
        {"name": "A" * 10_000},
        {"name": '=HYPERLINK("http://x")'},
        {"name": "Trần\x00Văn"},
        {"name": ["không", "phải", "chữ"]},
        {"phone_number": "0912\x00345678"},
        {"phone_number": "9" * 10_000},
        {"phone_number": {"so": NUMBER}},
        {"sub": "x" * 10_000},
        {"sub": 12345},
    ],
)
def test_hostile_claims_are_never_a_500(client, idp, identity_app, claims):
    idp.person.update(claims)
    page = sign_in(client, idp)
    assert page.status_code in (200, 401)
    user = logged_in(client)
    if user.is_authenticated:
        # Only a usable name is kept; a bad one leaves the profile to ask.
        assert len(user.full_name) <= 150 and "\x00" not in user.full_name
        assert not user.full_name.startswith("=")


# --------------------------------------------------------------- per site


def test_a_provider_is_offered_only_on_its_sites(client, idp, identity_app):
    shown = page_text(client.get(LOGIN))
    assert f"Đăng nhập bằng {PROVIDER_NAME}" in shown
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="tinh-khac",
        name="Định danh tỉnh khác",
        client_id="x",
        secret="y",
        settings={"server_url": idp.issuer, "sites": ["tinh-khac.example.vn"]},
    )
    identity_app.settings["sites"] = ["localhost"]  # the test server's site
    identity_app.save()
    shown = page_text(client.get(LOGIN))
    assert f"Đăng nhập bằng {PROVIDER_NAME}" in shown
    assert "Định danh tỉnh khác" not in shown
    assert client.post("/tai-khoan/oidc/tinh-khac/login/").status_code == 404


def test_a_provider_without_sites_is_offered_nowhere(client, idp, identity_app):
    identity_app.settings.pop("sites")
    identity_app.save()
    assert "Đăng nhập bằng" not in page_text(client.get(LOGIN))
    assert client.post(START).status_code == 404


def test_no_provider_no_button(client, privacy_notice):
    assert "Đăng nhập bằng" not in page_text(client.get(LOGIN))


def test_the_login_page_may_send_its_form_on_to_the_provider(client, idp, identity_app):
    # The button posts to us and we redirect to the provider: browsers hold
    # that redirect to the page's form-action.
    policy = client.get(LOGIN)["Content-Security-Policy"]
    (form_action,) = [d for d in policy.split(";") if "form-action" in d]
    assert idp.issuer in form_action.split()
    identity_app.settings["sites"] = ["tinh-khac.example.vn"]
    identity_app.save()
    policy = client.get(LOGIN)["Content-Security-Policy"]
    assert idp.issuer not in policy


# ------------------------------------------------- adding a provider


def _add(**options):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    options = {
        "name": "VNeID",
        "server-url": "https://sso.dinhdanh.example.vn",
        "client-id": "hocvuso",
        "site": ["quangngai.example.vn"],
        **options,
    }
    argv = ["vneid"]
    for option, value in options.items():
        for one in value if isinstance(value, list) else [value]:
            argv += [f"--{option}", one]
    call_command("identity_provider", *argv, stdout=out)
    return out.getvalue()


def test_a_province_adds_its_provider_with_one_command(monkeypatch, privacy_notice):
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "bi-mat-cua-tinh")
    assert "Đã thêm VNeID (vneid)" in _add()
    assert "Đã cập nhật" in _add(site=["quangngai.example.vn", "*"])
    (app,) = SocialApp.objects.all()
    assert app.secret == "bi-mat-cua-tinh"
    assert app.settings == {
        "server_url": "https://sso.dinhdanh.example.vn",
        "sites": ["*", "quangngai.example.vn"],
    }


@pytest.mark.parametrize(
    "options",
    [
        {"server-url": "http://sso.example.vn"},  # no TLS
        {"server-url": "javascript:alert(1)"},
        {"name": "A" * 10_000},
        {"name": "VNe\x00ID"},
        {"site": ["quangngai.example.vn; form-action *"]},
        {"site": ["=cmd|' /C calc'!A0"]},
        {"client-id": "x" * 10_000},
    ],
)
def test_a_bad_provider_is_refused_with_a_message(monkeypatch, db, options):
    from django.core.management.base import CommandError

    monkeypatch.setenv("OIDC_CLIENT_SECRET", "bi-mat")
    with pytest.raises(CommandError):
        _add(**options)
    assert not SocialApp.objects.exists()


def test_no_secret_no_provider(monkeypatch, db):
    from django.core.management.base import CommandError

    monkeypatch.delenv("OIDC_CLIENT_SECRET", raising=False)
    with pytest.raises(CommandError, match="client secret"):
        _add()


def test_the_button_and_the_refusals_speak_english_when_chosen(
    client, idp, identity_app, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert f"Log in with {PROVIDER_NAME}" in page_text(client.get(LOGIN))
    page = sign_in(client, idp, allow=False)
    assert "Login cancelled" in page_text(page)


def test_after_erasure_the_identity_no_longer_reaches_the_old_account(
    client, idp, identity_app, make_learner
):
    from hocvuso.orgunits.selectors import admin_scope_get
    from hocvuso.privacy.services import erasure_carry_out, erasure_request

    owner = make_learner(phone=NUMBER)
    sign_in(client, idp)
    assert logged_in(client) == owner
    admin = User.objects.create_superuser(username="quantri", password="Matkhau@2025")
    erasure_carry_out(
        actor=admin,
        scope=admin_scope_get(user=admin),
        request=erasure_request(user=owner),
    )
    assert not SocialAccount.objects.filter(user=owner).exists()
    again = Client()
    sign_in(again, idp)
    assert logged_in(again).is_authenticated
    assert logged_in(again) != owner


def test_the_discovery_document_is_fetched_once_not_at_every_press(
    client, idp, identity_app
):
    fetched = []
    original = idp._discovery
    idp._discovery = lambda *args: fetched.append(1) or original(*args)
    for _ in range(3):
        assert client.post(START).status_code == 302
    assert len(fetched) == 1


def test_the_login_page_reads_the_providers_once(client, identity_app):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(LOGIN).status_code == 200
    reads = [q for q in queries if "socialaccount_socialapp" in q["sql"]]
    assert len(reads) == 1


def test_an_administrator_still_gives_the_second_factor(
    client, idp, identity_app, make_learner
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    admin = make_learner(phone=NUMBER, is_superuser=True, is_staff=True)
    TOTP.activate(admin, generate_totp_secret())
    page = sign_in(client, idp)
    assert page.redirect_chain[-1][0] == "/tai-khoan/2fa/authenticate/"
    assert not logged_in(client).is_authenticated


def test_my_data_shows_the_linked_identity_and_what_the_provider_sent(
    client, idp, identity_app, make_learner
):
    import json

    owner = make_learner(phone=NUMBER)
    idp.person["sub"] = "=cong-dan-001"  # a formula prefix, for the XLSX
    sign_in(client, idp)
    assert logged_in(client) == owner
    download = client.get("/tai-khoan/du-lieu/tai/json/")
    assert download.status_code == 200, download.status_code
    (row,) = json.loads(download.content)["Tài khoản định danh đã liên kết"]
    assert row["Nhà cung cấp"] == PROVIDER_ID
    assert row["Mã định danh"] == "=cong-dan-001"
    assert row["Họ và tên do nhà cung cấp gửi"] == "Trần Văn Định"
    assert row["Số điện thoại do nhà cung cấp gửi"] == "0912 345 678"
    xlsx = client.get("/tai-khoan/du-lieu/tai/xlsx/")
    assert xlsx.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value]
    assert not [c for c in cells if c.data_type == "f"]  # no formula runs
    assert any("cong-dan-001" in str(c.value) for c in cells)
