"""A new citizen's whole journey on a 360 × 740 phone, on the demo with its
video: sign-up with their commune, a lesson video played to the end, the
final test answered partly offline and reloaded without a network (the clock
still the server's), submitted, the certificate on top of the result, then
log-out leaving nothing of theirs on the phone."""

import re

import pytest
from django.utils import timezone
from hocvuso.accounts import sms
from hocvuso.accounts.models import User
from hocvuso.core.demo import DEMO_PROVINCE
from hocvuso.orgunits.models import Unit, UnitLevel

from courses.models import LessonPage
from quizzes.models import Attempt, Choice, Question

from .conftest import screenshot, wait_for_js
from .test_shared_phone import OFFLINE_DATA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_up_with_commune(page, live_server) -> tuple[User, Unit]:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Đăng ký bằng số điện thoại").click()
    page.fill("input[name=full_name]", "Phạm Thị Lan")
    page.fill("input[name=phone]", "0912 345 678")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/phone/verify/")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    page.fill("input[name=code]", code)
    page.locator("main form button[type=submit]").first.click()
    page.get_by_text("Bạn đã đăng nhập với tên Phạm Thị Lan").wait_for()

    page.check("input[name=agree]")
    page.get_by_role("button", name="Xác nhận và bắt đầu học").click()
    page.wait_for_url("**/noi-song/**")
    # The demo's first province, the default site's (Huế has its own site).
    province = Unit.objects.get(code=DEMO_PROVINCE)
    communes = Unit.objects.filter(
        level=UnitLevel.COMMUNE, path__startswith=province.path
    )
    commune = communes.order_by("name").first()
    # The default site is this province's: the only one offered, already
    # chosen, with its communes listed.
    assert page.input_value("select[name=province]") == province.code
    page.locator(f'select[name=commune] option[value="{commune.code}"]').wait_for(
        state="attached"
    )
    page.select_option("select[name=commune]", commune.code)
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url(live_server.url + "/")
    user = User.objects.get(phone="+84912345678")
    assert user.unit == commune and not user.username.startswith("user")
    return user, commune


def _watch_the_video_to_the_end(page, live_server, lesson) -> None:
    page.goto(live_server.url + lesson.url)
    page.evaluate(
        "() => { const v = document.querySelector('video'); v.muted = true; v.play(); }"
    )
    page.locator('[data-player][data-engine="hls.js"]').wait_for()
    wait_for_js(
        page, "document.querySelector('video').ended", timeout=40_000, every=500
    )
    page.locator("[data-player-done]").wait_for(state="visible")


def _answer_right(page, attempt, index: int) -> None:
    qid = attempt.question_ids[index]
    page.locator(f'nav[data-nav] button[data-goto="{index}"]').click()
    for choice in Choice.objects.filter(question_id=qid, correct=True):
        page.locator(f'fieldset[data-q="{qid}"] input[value="{choice.pk}"]').check()


def _saved(page) -> int:
    return page.evaluate(
        "document.querySelectorAll('nav[data-nav] button.answered:not(.pending)').length"
    )


def test_a_citizens_phone_journey(live_server, phone, demo_with_media, settings):
    settings.MEDIA_HEARTBEAT_SECONDS = 5
    course = demo_with_media
    page = phone
    user, commune = _sign_up_with_commune(page, live_server)

    page.goto(live_server.url + course.url)
    page.get_by_role("button", name="Đăng ký học").click()
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    _watch_the_video_to_the_end(page, live_server, lessons[0])
    for lesson in lessons[1:]:
        page.goto(live_server.url + lesson.url)
        page.get_by_role("button", name="Hoàn thành bài học").click()
        page.locator(".msg-success").first.wait_for()

    page.goto(live_server.url + course.url)
    page.get_by_role("link", name=re.compile("Bài kiểm tra")).first.click()
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url("**/kiem-tra/lam-bai/**")
    attempt = Attempt.objects.get(user=user)
    multiple = Question.objects.filter(
        pk__in=attempt.question_ids, kind="multiple"
    ).count()
    assert page.get_by_text("Chọn tất cả đáp án đúng").count() == multiple
    half = len(attempt.question_ids) // 2
    for index in range(half):
        _answer_right(page, attempt, index)
    wait_for_js(
        page,
        f"document.querySelectorAll('nav[data-nav] button.answered:not(.pending)').length >= {half}",
    )

    page.context.set_offline(True)
    for index in range(half, len(attempt.question_ids)):
        _answer_right(page, attempt, index)
    page.wait_for_timeout(5_000)
    page.reload()  # no network: the copy kept on the phone
    assert page.locator("nav[data-nav] button.answered").count() == len(
        attempt.question_ids
    )
    page.wait_for_timeout(1_500)
    minutes, seconds = page.locator("[data-timer]").inner_text().split(":")
    server_left = (attempt.deadline - timezone.now()).total_seconds()
    assert abs(int(minutes) * 60 + int(seconds) - server_left) <= 2
    screenshot(page, "journey-quiz-offline")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_js(
        page,
        f"document.querySelectorAll('nav[data-nav] button.answered:not(.pending)').length >= {len(attempt.question_ids)}",
    )

    page.get_by_role("button", name="Nộp bài").last.click()
    page.locator("dialog[data-confirm] button[value=submit]").click()
    page.wait_for_url("**/kiem-tra/ket-qua/**")
    page.get_by_role("heading", name="Chúc mừng, bạn đã đạt!").wait_for()
    certificate = page.locator("[data-certificate-top]")
    assert certificate.is_visible() and certificate.bounding_box()["y"] < 740
    pdf = page.get_by_role("link", name="Tải chứng nhận (PDF)")
    assert (
        page.request.get(live_server.url + pdf.get_attribute("href"))
        .headers["content-type"]
        .startswith("application/pdf")
    )
    screenshot(page, "journey-result")

    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Đã hoàn thành").is_visible()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate(OFFLINE_DATA) == {"caches": 0, "saved": 0, "workers": 0}
