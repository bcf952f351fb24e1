"""Issue 22 at 360 px: the demo's two province sites, Quảng Ngãi on
localhost and Huế on hue.localhost (Chromium resolves *.localhost to this
machine), each with its own name, colours and units; a certificate earned on
Huế's site names Huế's issuer; Huế's admin opens none of Quảng Ngãi's units."""

import subprocess

import pytest
from hocvuso.accounts.models import User
from hocvuso.accounts.services import consent_give
from hocvuso.core.demo import DEMO_COMMUNE, DEMO_PASSWORD, demo_privacy_notice_seed
from hocvuso.orgunits.models import Unit

from courses.models import CoursePage
from quizzes.models import QuizPage
from tests.completion_helpers import final_test_take, lessons_complete

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HUE_WARD = "19774"  # Phường Kim Long, Thành phố Huế


def _hosts(live_server) -> tuple[str, str]:
    port = live_server.url.rsplit(":", 1)[1]
    return f"http://localhost:{port}", f"http://hue.localhost:{port}"


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/tai-khoan/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/tai-khoan/login/" not in url)


def _learner(unit_code: str) -> User:
    learner = User.objects.create_user(
        username="hoc_vien_hue",
        password=DEMO_PASSWORD,
        full_name="Tôn Nữ Thu Hương",
        unit=Unit.objects.get(code=unit_code),
    )
    consent_give(user=learner, notice=demo_privacy_notice_seed())
    return learner


def test_each_province_site_has_its_own_look_and_units(
    live_server, phone, demo_site, settings
):
    settings.ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1"]
    quang_ngai, hue = _hosts(live_server)
    _learner(HUE_WARD)
    page = phone
    colours = {}
    for base, name in ((quang_ngai, "Học số Quảng Ngãi"), (hue, "Học số Huế")):
        page.goto(base + "/")
        assert page.locator("header .brand").inner_text() == name
        colours[base] = page.evaluate(
            "getComputedStyle(document.querySelector('.topbar')).backgroundColor"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert colours[hue] == "rgb(91, 42, 134)"  # Huế's purple
    assert colours[quang_ngai] == "rgb(11, 83, 148)"
    assert "Người dân Thành phố Huế học kỹ năng số" in page.inner_text("main")
    screenshot(page, "province-site-hue-home-360")

    _login(page, hue, "hoc_vien_hue")
    page.goto(hue + "/tai-khoan/ho-so/")
    provinces = page.locator("select[name=province] option").all_inner_texts()
    communes = page.locator("select[name=commune] option").all_inner_texts()
    assert provinces == ["Thành phố Huế"]
    assert "Phường Kim Long" in communes and "Phường Cẩm Thành" not in communes
    screenshot(page, "province-site-hue-place-360")

    # On Quảng Ngãi's site a learner of Huế is offered Quảng Ngãi beside
    # their own province, which stays chosen: saving their name keeps them
    # in Huế.
    _login(page, quang_ngai, "hoc_vien_hue")
    page.goto(quang_ngai + "/tai-khoan/ho-so/")
    provinces = page.locator("select[name=province] option").all_inner_texts()
    assert provinces == ["Tỉnh Quảng Ngãi", "Thành phố Huế"]
    assert page.locator("select[name=province]").input_value() == "46"
    assert page.locator("select[name=commune]").input_value() == HUE_WARD


def test_a_certificate_on_hues_site_names_hues_issuer(
    live_server, phone, demo_site, settings
):
    settings.ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1"]
    _quang_ngai, hue = _hosts(live_server)
    learner = _learner(HUE_WARD)
    course = CoursePage.objects.live().order_by("topic_number").first()
    lessons_complete(learner, course)
    final_test_take(learner, QuizPage.objects.child_of(course).get())
    page = phone
    _login(page, hue, "hoc_vien_hue")
    page.goto(hue + "/chung-nhan/")
    link = page.get_by_role("link", name="Tải PDF")
    with page.expect_download() as download:
        link.click()
    pdf = download.value.path()
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ THÀNH PHỐ HUẾ" in text
    assert "Quảng Ngãi" not in text
    assert "HUE-" in text
    screenshot(page, "province-site-hue-certificates-360")


def test_hues_admin_opens_none_of_quang_ngais_units(
    live_server, phone, demo_site, settings
):
    settings.ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1"]
    quang_ngai, hue = _hosts(live_server)
    page = phone
    for base in (hue, quang_ngai):
        _login(page, base, "quantrihue")
        for code in ("51", DEMO_COMMUNE):
            response = page.goto(f"{base}/quan-tri/don-vi/{code}/")
            assert response.status == 404, (base, code)
        response = page.goto(f"{base}/quan-tri/don-vi/46/")
        assert response.status == 200
        assert "Thành phố Huế" in page.inner_text("main")
    screenshot(page, "province-site-hue-admin-360")


def test_hues_own_course_is_on_hues_site_only(live_server, phone, demo_site, settings):
    """The demo's course of Huế's own: listed and learnt on hue.localhost,
    absent from Quảng Ngãi's catalogue and a 404 there."""
    settings.ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1"]
    quang_ngai, hue = _hosts(live_server)
    own = CoursePage.objects.get(owner_site__hostname="hue.localhost")
    catalog = own.get_parent().url
    _learner(HUE_WARD)
    page = phone
    page.goto(hue + catalog)
    card = page.get_by_role("link", name=own.title)
    card.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "province-own-course-catalogue")
    _login(page, hue, "hoc_vien_hue")
    page.goto(hue + own.url)
    assert page.locator("h1").inner_text() == own.title
    page.get_by_role("button", name="Đăng ký học").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Trang Học số Huế có gì?"

    page.goto(quang_ngai + catalog)
    assert page.get_by_text(own.title).count() == 0
    response = page.goto(quang_ngai + own.url)
    assert response.status == 404
    lesson = own.get_children().first()
    assert page.goto(quang_ngai + lesson.url).status == 404
