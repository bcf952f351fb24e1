"""A commune administrator without a second factor, on a 360 px phone, is
sent to set one up before the admin pages open: password again, QR code and
secret, a code from the app, recovery codes; then /quan-tri/ opens."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from hocvuso.core.demo import DEMO_PASSWORD

from .conftest import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_admin_without_second_factor_is_sent_to_set_one_up(
    live_server, phone, demo_site, settings
):
    settings.ADMIN_MFA_REQUIRED = True
    page = phone
    base = live_server.url
    page.on("request", lambda r: print("REQ", r.method, r.url, r.resource_type))
    page.goto(base + "/tai-khoan/login/")
    page.fill("input[name=login]", "quantrixa")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/tai-khoan/login/" not in url)

    page.goto(base + "/quan-tri/")
    page.get_by_text(
        "Tài khoản quản trị phải bật xác thực hai bước trước khi vào trang quản trị."
    ).wait_for()
    assert "/tai-khoan/reauthenticate/" in page.url
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    page.get_by_role("heading", name="Kích hoạt ứng dụng xác thực").wait_for()
    assert page.url == base + "/tai-khoan/2fa/totp/activate/"
    _no_horizontal_scroll(page)
    screenshot(page, "mfa-activate")
    secret = page.locator("#authenticator_secret").input_value()
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Kích hoạt").click()

    page.get_by_text("Mã chưa dùng").wait_for()
    _no_horizontal_scroll(page)
    assert Authenticator.objects.filter(
        user__username="quantrixa", type=Authenticator.Type.TOTP
    ).exists()

    page.goto(base + "/quan-tri/")
    page.get_by_role("link", name="Phường Cẩm Thành").wait_for()
    assert page.url == base + "/quan-tri/"
