"""At 360 px: a learner downloads their certificate as an Open Badges
credential; an independent verifier accepts the file, fetching the key set
and status list over HTTP from the running server, and anyone checks it on
/xac-minh/chung-chi-so/."""

import urllib.request
from pathlib import Path

import pytest

from certificates.models import Certificate
from courses.models import CoursePage
from tests.certificates.credential_verifier import credential_verified
from tests.completion_helpers import final_test_take, lessons_complete

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_download_the_credential_and_check_the_file(
    live_server, phone, browser, make_learner, make_quiz, settings
):
    settings.CERTIFICATES_SITE_URL = live_server.url
    quiz = make_quiz(questions=4, draw=4)
    learner = make_learner(full_name="Nguyễn Thị Hồng Nhung")
    lessons_complete(learner, CoursePage.objects.get())
    final_test_take(learner, quiz)
    certificate = Certificate.objects.get()

    page = phone
    page.goto(live_server.url + "/tai-khoan/login/")
    page.fill("input[name=login]", learner.username)
    page.fill("input[name=password]", "Matkhau@2025")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/chung-nhan/")
    link = page.get_by_role("link", name="Tải chứng chỉ số (Open Badges)")
    assert link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"chung-chi-so-{certificate.serial}.jwt"
    path = download.value.path()

    def fetch(url: str) -> bytes:
        assert url.startswith(live_server.url)
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()

    credential = credential_verified(Path(path).read_text(), fetch)
    assert credential["name"] == certificate.title

    # Someone else, not logged in, checks the file they were sent.
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    checker = context.new_page()
    checker.goto(live_server.url + "/xac-minh/")
    checker.get_by_role("link", name="Kiểm tra một chứng chỉ số (tệp .jwt)").click()
    checker.set_input_files("input[type=file]", path)
    checker.get_by_role("button", name="Kiểm tra", exact=True).click()
    verdict = checker.locator("[data-verdict=valid]")
    verdict.wait_for()
    assert "Chứng chỉ số hợp lệ" in verdict.inner_text()
    assert checker.locator("[data-holder]").inner_text() == "Nguyễn Thị Hồng Nhung"
    assert checker.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(checker, "credential-check-360")
    context.close()
