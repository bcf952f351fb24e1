"""Issue 21 on a 360 px phone: the commune administrator moves a class to
another hall (the invitees are told by SMS), then cancels it with a reason:
it stays on the list as "Đã hủy" and its QR page is gone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hocvuso.accounts import sms
from hocvuso.core.demo import DEMO_COMMUNE
from hocvuso.orgunits.models import Unit
from hocvuso.training.models import TrainingClass
from hocvuso.training.services import training_class_create

from courses.models import CoursePage

from .conftest import PHONE, screenshot
from .test_training_class import _log_in, _member, _no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_admin_moves_then_cancels_a_class(live_server, phone, demo_site):
    base = live_server.url
    commune = Unit.objects.get(code=DEMO_COMMUNE)
    tdp1 = (
        Unit.objects.filter(path__startswith=commune.path, depth=commune.depth + 1)
        .order_by("name")
        .first()
    )
    member = _member(1, tdp1)
    starts = timezone.now() + timedelta(days=10)
    training_class = training_class_create(
        created_by=None,
        unit=commune,
        title="Lớp định danh điện tử",
        course=CoursePage.objects.live().first(),
        kind="in_person",
        place="Hội trường phường",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        trainer="Nguyễn Văn Giảng",
        capacity=30,
        invited_units=[tdp1],
    )
    sms.outbox.clear()

    page = phone
    page.goto(base + "/tai-khoan/login/")
    _log_in(page, "quantrixa")
    page.wait_for_url(lambda u: "/tai-khoan/login/" not in u)
    page.goto(base + f"/quan-tri/lop-hoc/{training_class.pk}/")
    page.get_by_role("link", name="Sửa lớp").click()
    page.fill("input[name=place]", "Nhà văn hóa tổ dân phố 1")
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.get_by_text("Đã gửi tin nhắn báo đổi lịch đến 1 người được mời.").wait_for()
    assert page.get_by_text("Nhà văn hóa tổ dân phố 1").first.is_visible()
    [notice] = [m for m in sms.outbox if m.to == member.phone]
    assert "đổi lịch" in notice.text and "Nhà văn hóa tổ dân phố 1" in notice.text

    page.get_by_role("link", name="Hủy lớp").click()
    page.fill("textarea[name=reason]", "Giảng viên bận đột xuất")
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Hủy lớp và gửi tin nhắn").click()
    page.get_by_text("Lý do: Giảng viên bận đột xuất").wait_for()
    assert page.get_by_role("link", name="Mở mã QR điểm danh").count() == 0
    assert page.get_by_role("link", name="Sửa lớp").count() == 0
    # No hand marking either: the list stays as it was.
    assert page.get_by_role("button", name="Có mặt", exact=True).count() == 0
    assert page.get_by_role("button", name="Đánh dấu có mặt").count() == 0
    _no_horizontal_scroll(page)
    screenshot(page, "training-cancelled-360")
    page.goto(base + "/quan-tri/lop-hoc/")
    item = page.locator("li.card", has_text="Lớp định danh điện tử")
    assert "Đã hủy" in item.inner_text()
    assert TrainingClass.objects.get().is_cancelled
    assert len([m for m in sms.outbox if "đã bị hủy" in m.text]) == 1
    assert PHONE["width"] == 360
