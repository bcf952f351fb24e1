"""What a 360 × 740 phone shows around the content: a compact header, a login
form that opens the phone keypad, a code page whose way out is not mistaken
for "Xác nhận", and test banners that stay in view under the sticky bar."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from hocvuso.accounts import sms

from quizzes.models import Attempt

from .conftest import screenshot
from .test_quiz import _login, _start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAP = 44  # px: the smallest target a thumb hits reliably


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return box


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
        or a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
    )


def _in_viewport(box: dict) -> bool:
    return box["y"] >= 0 and box["y"] + box["height"] <= 740


def test_header_is_one_compact_row(live_server, phone, learner, build_catalog):
    build_catalog(courses=1, lessons=1)
    page = phone
    page.goto(live_server.url + "/")
    assert _box(page, "header.topbar")["height"] <= 64
    _login(page, live_server, learner)
    header = _box(page, "header.topbar")
    assert header["height"] <= 64, header
    for name in ("Khóa học", "Của tôi", "Chứng nhận", "Tài khoản"):
        link = page.locator("header.topbar").get_by_role("link", name=name)
        link.scroll_into_view_if_needed()
        assert link.bounding_box()["height"] >= TAP, name
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "header-360")


def test_login_opens_the_phone_keypad_and_code_login_is_a_button(
    live_server, phone, learner
):
    page = phone
    page.goto(live_server.url + "/tai-khoan/login/")
    login = page.locator("input[name=login]")
    assert login.get_attribute("inputmode") == "tel"
    assert login.get_attribute("autocomplete") == "username"

    code_login = page.get_by_role("link", name="Gửi mã đăng nhập cho tôi")
    box = code_login.bounding_box()
    assert box["height"] >= TAP and box["width"] >= 200, box
    assert code_login.evaluate("e => getComputedStyle(e).borderStyle") == "solid"

    # a username needs letters: one tap gives the letter keyboard
    page.get_by_role("link", name="Dùng bàn phím chữ").click()
    page.wait_for_url("**ban-phim=chu")
    assert page.locator("input[name=login]").get_attribute("inputmode") == "text"
    page.fill("input[name=login]", learner.username)
    page.fill("input[name=password]", "Matkhau@2025")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/")


def test_code_page_cancel_is_quiet_and_says_where_it_leads(live_server, phone, learner):
    page = phone
    page.goto(live_server.url + "/tai-khoan/login/")
    page.get_by_role("link", name="Gửi mã đăng nhập cho tôi").click()
    page.fill("input[name=phone]", learner.phone.replace("+84", "0"))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/login/code/confirm/")
    assert re.search(r"\b\d{6}\b", sms.outbox[-1].text)

    confirm = page.get_by_role("button", name="Xác nhận")
    cancel = page.get_by_role("button", name=re.compile("^Hủy"))
    assert "quay lại trang đăng nhập" in cancel.inner_text()
    confirm_box, cancel_box = confirm.bounding_box(), cancel.bounding_box()
    assert cancel_box["height"] >= TAP
    assert cancel_box["y"] >= confirm_box["y"] + confirm_box["height"]  # below it

    def background(locator) -> str:
        return locator.evaluate("e => getComputedStyle(e).backgroundColor")

    assert background(confirm) == "rgb(11, 83, 148)"  # filled, the site's blue
    assert background(cancel) == "rgba(0, 0, 0, 0)"  # a plain link-like button
    screenshot(page, "login-code-360")
    cancel.click()
    page.wait_for_url("**/tai-khoan/login/")


def test_offline_banner_and_warning_stay_in_view_under_the_bar(
    live_server, phone, learner, make_quiz
):
    page = phone
    quiz = make_quiz(questions=8, draw=8)
    _login(page, live_server, learner)
    attempt = _start(page, live_server, quiz)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    banner = page.get_by_text("Đang ngoại tuyến (không có mạng).")
    banner.wait_for()
    bar = _box(page, ".quiz-bar")
    box = banner.bounding_box()
    assert _in_viewport(box) and _in_viewport(bar), (box, bar)
    assert not _overlap(box, bar), (box, bar)
    screenshot(page, "quiz-offline-banner-360")
    page.context.set_offline(False)

    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timedelta(minutes=4)
    )
    page.reload()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    warning = page.locator("[data-warning]")
    warning.wait_for()
    box, bar = warning.bounding_box(), _box(page, ".quiz-bar")
    assert "5 phút" in warning.inner_text()
    assert _in_viewport(box) and not _overlap(box, bar), (box, bar)
