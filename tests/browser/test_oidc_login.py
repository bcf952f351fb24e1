"""On a 360 px phone: the login page's "Đăng nhập bằng …" button goes to an
identity provider served on 127.0.0.1 (tests/oidc_provider.py) and comes
back logged in to the account with the number the provider verified; saying
no there comes back to a Vietnamese page, logged out."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp

from tests.oidc_provider import LocalProvider

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Định danh thử"


@pytest.fixture
def idp():
    provider = LocalProvider(
        person={
            "sub": "cong-dan-001",
            "name": "Trần Văn Định",
            "phone_number": "+84912345678",
            "phone_number_verified": True,
        }
    ).start()
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="dinh-danh-thu",
        name=NAME,
        client_id=provider.client_id,
        secret=provider.client_secret,
        settings={"server_url": provider.issuer, "sites": ["*"]},
    )
    yield provider
    provider.stop()


def _to_the_provider(live_server, page):
    page.goto(live_server.url + "/tai-khoan/login/?next=/tai-khoan/ho-so/")
    button = page.get_by_role("button", name=f"Đăng nhập bằng {NAME}")
    assert button.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "oidc-login-button")
    button.click()
    page.wait_for_url("http://127.0.0.1:*/authorize?*")


def test_sign_in_with_the_identity_provider_end_to_end(
    live_server, phone, idp, make_learner
):
    owner = make_learner(phone="+84912345678", full_name="Trần Thị Chủ")
    _to_the_provider(live_server, phone)
    phone.get_by_role("button", name="Cho phép").click()
    phone.wait_for_url("**/tai-khoan/ho-so/")
    assert phone.get_by_label("Họ và tên").input_value() == "Trần Thị Chủ"
    screenshot(phone, "oidc-logged-in")
    assert SocialAccount.objects.get().user == owner


def test_saying_no_at_the_provider_comes_back_logged_out(live_server, phone, idp):
    _to_the_provider(live_server, phone)
    phone.get_by_role("button", name="Từ chối").click()
    phone.wait_for_url("**/tai-khoan/3rdparty/login/cancelled/")
    assert phone.get_by_role("heading", name="Đã hủy đăng nhập").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "oidc-cancelled")
    phone.get_by_role("link", name="Quay lại trang đăng nhập").click()
    phone.wait_for_url("**/tai-khoan/login/")
