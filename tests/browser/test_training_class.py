"""Issue 21 on a 360 px phone: a commune administrator creates a class for
two residential groups; an invited member opens the URL the trainer's QR
decodes to, logs in and is present; an expired (forwarded) QR is refused;
the report and its XLSX show the right counts."""

import subprocess
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from hocvuso.accounts.models import PrivacyNotice, User
from hocvuso.accounts.services import consent_give
from hocvuso.core.demo import DEMO_COMMUNE, DEMO_PASSWORD
from hocvuso.orgunits.models import Unit
from hocvuso.orgunits.services import team_create, team_membership_set
from hocvuso.training import checkin
from hocvuso.training.models import Attendance, TrainingClass
from openpyxl import load_workbook

from .conftest import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def _log_in(page, login: str) -> None:
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def _member(n: int, village: Unit) -> User:
    user = User.objects.create_user(
        username=f"tv_lop_{n}",
        password=DEMO_PASSWORD,
        full_name=f"Thành viên lớp {n}",
        phone=f"+8497{n:07d}",
        phone_verified=True,
        unit=village,
    )
    consent_give(user=user, notice=PrivacyNotice.objects.order_by("-pk").first())
    team = team_create(unit=village, name=f"Tổ CNSCĐ {village.name}")
    team_membership_set(team_id=team.pk, user=user)
    return user


def _second_phone(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="vi-VN"
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_commune_admin_holds_a_class_and_members_check_in_by_qr(
    live_server, browser, phone, demo_site, tmp_path
):
    base = live_server.url
    commune = Unit.objects.get(code=DEMO_COMMUNE)
    tdp1, tdp2, _tdp3 = Unit.objects.filter(
        path__startswith=commune.path, depth=commune.depth + 1
    ).order_by("name")
    present_member, absent_member = _member(1, tdp1), _member(2, tdp2)

    page = phone
    page.goto(base + "/tai-khoan/login/")
    _log_in(page, "quantrixa")
    page.goto(base + "/quan-tri/")
    page.get_by_role("link", name="Phường Cẩm Thành").click()
    page.get_by_role("link", name="Tạo lớp tập huấn").click()
    starts = timezone.localtime() + timedelta(days=2)
    page.fill("input[name=title]", "Tập huấn kỹ năng số cơ bản")
    page.select_option("select[name=what]", index=1)
    page.select_option("select[name=kind]", "in_person")
    page.fill("input[name=place]", "Hội trường phường")
    page.fill("input[name=starts_at]", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill(
        "input[name=ends_at]", (starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    )
    page.fill("input[name=trainer]", "Nguyễn Văn Giảng")
    page.fill("input[name=capacity]", "30")
    page.get_by_label(tdp1.name).check()
    page.get_by_label(tdp2.name).check()
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Tạo lớp và gửi tin nhắn mời").click()
    page.get_by_text("Đã tạo lớp “Tập huấn kỹ năng số cơ bản”, mời 2 người").wait_for()
    assert page.get_by_text("thông báo trước ít nhất một tuần").is_visible()
    _no_horizontal_scroll(page)
    screenshot(page, "training-class-360")

    # The training day: the class started five minutes ago.
    training_class = TrainingClass.objects.get()
    now = timezone.now()
    TrainingClass.objects.filter(pk=training_class.pk).update(
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2)
    )
    page.get_by_role("link", name="Mở mã QR điểm danh").click()
    qr = page.locator("#checkin-qr")
    qr.wait_for()
    _no_horizontal_scroll(page)
    screenshot(page, "training-qr-360")
    png = tmp_path / "qr.png"
    qr.screenshot(path=str(png))
    url = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert url.startswith(base + "/diem-danh/?t=")

    context, learner_page = _second_phone(browser)
    try:
        learner_page.goto(url)
        _log_in(learner_page, present_member.username)
        learner_page.get_by_text(
            "Bạn có mặt ở lớp “Tập huấn kỹ năng số cơ bản”."
        ).wait_for()
        _no_horizontal_scroll(learner_page)
        screenshot(learner_page, "training-checked-in-360")
    finally:
        context.close()

    # A photo of the QR sent to someone at home, opened a minute later.
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 60):
        old = base + "/diem-danh/?t=" + checkin.qr_token(training_class.pk)
    context, learner_page = _second_phone(browser)
    try:
        learner_page.goto(base + "/tai-khoan/login/")
        _log_in(learner_page, absent_member.username)
        learner_page.wait_for_url(lambda u: "/tai-khoan/login/" not in u)
        learner_page.goto(old)
        learner_page.get_by_text("Mã QR này đã hết hạn hoặc không hợp lệ.").wait_for()
        _no_horizontal_scroll(learner_page)
    finally:
        context.close()
    assert list(Attendance.objects.values_list("user_id", flat=True)) == [
        present_member.pk
    ]

    page.goto(base + f"/quan-tri/lop-hoc/{training_class.pk}/bao-cao/")
    cells = {
        code: page.locator(f"#class-report tr[data-code='{code}'] td").all_inner_texts()
        for code in (tdp1.code, tdp2.code, "total")
    }
    # invited, present, absent, late, walk-ins, finished
    assert cells[tdp1.code] == ["1", "1", "0", "0", "0", "0"]
    assert cells[tdp2.code] == ["1", "0", "1", "0", "0", "0"]
    assert cells["total"] == ["2", "1", "1", "0", "0", "0"]
    _no_horizontal_scroll(page)
    screenshot(page, "training-report-360")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo Excel").click()
    assert download.value.suggested_filename.startswith("bao-cao-lop-")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sheet = load_workbook(saved).active
    rows = {r[0]: list(r[2:]) for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows[tdp1.code] == [1, 1, 0, 0, 0, 0]
    assert rows[tdp2.code] == [1, 0, 1, 0, 0, 0]
