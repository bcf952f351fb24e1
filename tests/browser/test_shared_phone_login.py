"""On a 360 px phone: the login page's "Đây là điện thoại dùng chung" box,
ticked, gives the browser a session cookie that goes when it closes; left
unticked, a cookie that lasts two weeks."""

import time

import pytest
from django.conf import settings

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(live_server, page, learner, *, shared: bool) -> dict:
    page.goto(live_server.url + "/tai-khoan/login/?next=/tai-khoan/ho-so/")
    box = page.get_by_label("Đây là điện thoại dùng chung")
    assert box.is_visible() and not box.is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("input[name=login]", learner.username)
    page.fill("input[name=password]", "Matkhau@2025")
    if shared:
        box.check()
        screenshot(page, "login-shared-phone")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/tai-khoan/ho-so/")
    (cookie,) = [
        c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
    ]
    return cookie


def test_a_shared_phone_keeps_the_login_only_until_the_browser_closes(
    live_server, phone, learner
):
    cookie = _log_in(live_server, phone, learner, shared=True)
    assert cookie["expires"] == -1  # a session cookie


def test_a_personal_phone_stays_logged_in_for_two_weeks(live_server, phone, learner):
    cookie = _log_in(live_server, phone, learner, shared=False)
    assert cookie["expires"] > time.time() + 13 * 24 * 3600
