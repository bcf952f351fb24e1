"""A commune administrator on a 360 px phone: adds a team, downloads the
template, uploads the filled file, reviews the dry run, confirms, watches the
progress, prints the passwords; an imported member logs in and must pick a
password of their own first."""

import re

import pytest
from hocvuso.accounts.models import User
from hocvuso.core.demo import DEMO_COMMUNE, DEMO_PASSWORD
from openpyxl import load_workbook

from .conftest import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def _log_in(page, base: str, login: str, password: str) -> None:
    page.goto(base + "/tai-khoan/login/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()


def test_commune_admin_imports_members_who_then_log_in(
    live_server, browser, phone, demo_site, tmp_path
):
    page = phone
    base = live_server.url
    _log_in(page, base, "quantrixa", DEMO_PASSWORD)
    page.goto(base + "/quan-tri/")
    page.get_by_role("link", name="Phường Cẩm Thành").click()
    page.fill("input[name=name]", "Tổ CNSCĐ phường Cẩm Thành")
    page.get_by_role("button", name="Thêm tổ").click()
    page.get_by_text("Đã thêm tổ “Tổ CNSCĐ phường Cẩm Thành”.").wait_for()
    _no_horizontal_scroll(page)

    page.goto(base + "/quan-tri/nhap/")
    _no_horizontal_scroll(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp mẫu Excel").click()
    assert download.value.suggested_filename == "mau-danh-sach.xlsx"
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    book = load_workbook(template)
    sheet = book.worksheets[0]
    rows = [
        [
            "Phan Thị Mai",
            "0987 654 321",
            "1990",
            DEMO_COMMUNE,
            "Tổ dân phố 2",
            "Tổ CNSCĐ phường Cẩm Thành",
            "tổ trưởng",
        ],
        ["Võ Văn Tài", "0987654322", "1985", DEMO_COMMUNE, "", "", ""],
        ["", "0987654323", "", "99999", "", "", ""],
    ]
    for row in rows:
        sheet.append(row)
    filled = tmp_path / "danh-sach-to.xlsx"
    book.save(filled)

    page.set_input_files("input[name=file]", str(filled))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.get_by_text("Kết quả kiểm tra (chưa ghi gì vào hệ thống):").wait_for()
    assert page.get_by_text("Tạo mới", exact=True).count() == 2
    assert page.get_by_text("Thiếu họ và tên.").is_visible()
    assert page.get_by_text("Không có xã, phường mã 99999 trong danh mục.").is_visible()
    assert not User.objects.filter(phone="+84987654321").exists()
    _no_horizontal_scroll(page)
    screenshot(page, "import-dry-run-360")

    page.get_by_label("In phiếu mật khẩu ban đầu").check()
    page.get_by_role("button", name="Xác nhận nhập 2 dòng hợp lệ").click()
    progress = page.locator("#import-progress")
    progress.get_by_text("Đã xong").wait_for()
    assert progress.locator("progress").get_attribute("value") == "100"
    assert "3/3 dòng (100%)" in progress.inner_text()
    _no_horizontal_scroll(page)
    screenshot(page, "import-done-360")

    page.get_by_role("link", name="In phiếu mật khẩu ban đầu").click()
    slip = page.locator(".slip", has_text="Phan Thị Mai")
    password = slip.locator("code.password").inner_text()
    assert re.fullmatch(r"[a-z2-9]{10}", password)
    _no_horizontal_scroll(page)

    member = browser.new_context(viewport=PHONE, is_mobile=True, locale="vi-VN")
    member_page = member.new_page()
    _log_in(member_page, base, "0987 654 321", password)
    member_page.wait_for_url("**/password/change/")
    member_page.get_by_text("hãy đặt mật khẩu mới của riêng bạn").wait_for()
    member_page.goto(base + "/hoc/cua-toi/")
    member_page.wait_for_url("**/password/change/")  # no way around it
    member_page.fill("input[name=oldpassword]", password)
    member_page.fill("input[name=password1]", "Mai@CamThanh2026")
    member_page.fill("input[name=password2]", "Mai@CamThanh2026")
    member_page.locator("main form button[type=submit]").first.click()
    member_page.goto(base + "/hoc/cua-toi/")
    member_page.wait_for_url("**/dong-y/**")  # then the personal-data notice
    member_page.check("input[name=agree]")
    member_page.get_by_role("button", name="Xác nhận và bắt đầu học").click()
    member_page.get_by_role("heading", name="Khóa học của tôi").wait_for()
    assert member_page.url.endswith("/hoc/cua-toi/")
    _no_horizontal_scroll(member_page)
    mai = User.objects.get(phone="+84987654321")
    assert not mai.must_change_password
    assert mai.team_memberships.get().role == "leader"
    member.close()
