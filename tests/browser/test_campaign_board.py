"""Issue 21 parts 4–5 on a 360 px phone: a commune administrator creates a
campaign for their commune; anyone reads the emulation board (the ranking,
the communes listed apart, the rule); a learner of the commune finds the
campaign on the home page and follows it to the campaign's board."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from hocvuso.accounts.models import PrivacyNotice, User
from hocvuso.accounts.services import consent_give
from hocvuso.campaigns import views
from hocvuso.core.demo import DEMO_COMMUNE, DEMO_PASSWORD, DEMO_PROVINCE
from hocvuso.orgunits.models import Assignment, Unit, UnitTarget
from hocvuso.reports import maintained

from courses.models import ProgrammeCompletion, ProgrammePage

from .conftest import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def _people(
    unit: Unit, n: int, completed: int, programme, prefix: str = "td"
) -> list[User]:
    notice = PrivacyNotice.objects.order_by("-pk").first()
    users = []
    for i in range(n):
        user = User.objects.create_user(
            username=f"{prefix}_{unit.code}_{i}",
            password=DEMO_PASSWORD,
            full_name=f"Người học {i}",
            unit=unit,
        )
        consent_give(user=user, notice=notice)
        users.append(user)
    ProgrammeCompletion.objects.bulk_create(
        ProgrammeCompletion(user=u, programme=programme, completed_at=timezone.now())
        for u in users[:completed]
    )
    return users


def test_a_campaign_and_the_emulation_board_on_a_phone(
    live_server, phone, demo_site, monkeypatch
):
    base = live_server.url
    province = Unit.objects.get(code=DEMO_PROVINCE)
    own = Unit.objects.get(code=DEMO_COMMUNE)
    second, third, tiny = (
        Unit.objects.filter(path__startswith=province.path, depth=2)
        .exclude(pk=own.pk)
        .order_by("code")[:3]
    )
    programme = ProgrammePage.objects.live().order_by("title").first()
    Assignment.objects.create(
        programme=programme,
        unit=province,
        starts_on=date(2026, 1, 1),
        due_on=date(2026, 12, 31),
    )
    # Cẩm Thành 3 of 20 (15 %), the second 3 of 20 (tied), the third 6 of 20
    # (30 %, first), the tiny one 2 of 2 (apart, however high its rate).
    learner = _people(own, 4, 3, programme)[3]
    for unit, n, done, target in (
        (own, 0, 0, 20),
        (second, 5, 3, 20),
        (third, 8, 6, 20),
        (tiny, 2, 2, 2),
    ):
        _people(unit, n, done, programme)
        UnitTarget.objects.create(unit=unit, programme=programme, learners=target)
    maintained.backfill()

    page = phone
    page.goto(base + "/tai-khoan/login/")
    page.fill("input[name=login]", "quantrixa")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.goto(base + "/quan-tri/")
    page.get_by_role("link", name="Phường Cẩm Thành").click()
    page.get_by_role("link", name="Tạo chiến dịch").click()
    today = timezone.localdate()
    page.fill("input[name=name]", "Ngày hội toàn dân học tập số 10/10")
    page.fill("input[name=starts_on]", today.isoformat())
    page.fill("input[name=ends_on]", (today + timedelta(days=5)).isoformat())
    page.fill("input[name=goal_completions]", "50")
    page.fill("textarea[name=goals]", "Mỗi tổ dân phố một buổi hướng dẫn dịch vụ công.")
    page.get_by_label("Phường Cẩm Thành", exact=True).check()
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="Tạo chiến dịch").click()
    page.get_by_text(
        "Đã tạo chiến dịch “Ngày hội toàn dân học tập số 10/10”."
    ).wait_for()
    _no_horizontal_scroll(page)
    page.context.clear_cookies()

    # Anyone: the board of the province's communes, the rule under it.
    page.goto(base + "/bang-thi-dua/")
    ranking = page.locator("#board-ranking tbody tr")
    assert ranking.count() == 3
    rows = [
        (r.locator("td.rank").inner_text(), r.locator("th").inner_text())
        for r in ranking.all()
    ]
    tied = sorted([own.name, second.name])  # 15 % each: one rank, by name
    assert rows[0] == ("1", third.name)
    assert [rank for rank, _name in rows[1:]] == ["2", "2"]
    assert {name for _rank, name in rows[1:]} == set(tied)
    assert page.locator("#board-small tbody tr").inner_text().startswith(tiny.name)
    assert page.get_by_role("heading", name="Cách xếp hạng").is_visible()
    assert page.get_by_text("(1, 1, 3)").is_visible()
    assert page.get_by_text("Ngày hội toàn dân học tập số 10/10").is_visible()
    _no_horizontal_scroll(page)
    screenshot(page, "campaign-board-360")

    # A campaign runs today: the open board follows the day by itself (here
    # every second instead of every minute, and past the minute's cache).
    monkeypatch.setattr(views, "LIVE_REFRESH_SECONDS", 1)
    page.reload()
    _people(second, 5, 5, programme, prefix="muon")  # now 8 of 20: 40 %
    maintained.backfill()
    cache.clear()
    page.locator("#board-ranking tbody tr").first.locator("th").filter(
        has_text=second.name
    ).wait_for()
    assert page.locator("#board-ranking tbody tr td.rank").all_inner_texts() == [
        "1",
        "2",
        "3",
    ]

    # A learner of the commune: the campaign on the home page, then its board.
    page.goto(base + "/tai-khoan/login/")
    page.fill("input[name=login]", learner.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.goto(base + "/")
    campaign = page.locator("section.campaign")
    campaign.get_by_text("Ngày hội toàn dân học tập số 10/10").wait_for()
    assert campaign.get_by_text("Mục tiêu: 50 người hoàn thành.").is_visible()
    _no_horizontal_scroll(page)
    screenshot(page, "campaign-home-360")
    campaign.get_by_role("link", name="Xem bảng thi đua").click()
    page.locator("#board-ranking").wait_for()
    # The campaign's board: Cẩm Thành alone.
    assert page.locator("#board-ranking tbody tr").count() == 1
    assert page.locator("#board-ranking tbody th").inner_text() == own.name
    _no_horizontal_scroll(page)
