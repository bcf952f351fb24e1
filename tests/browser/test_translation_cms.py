"""Issue 22: a translator's round trip in the CMS, without a shell: download
a course's .po from "Bản dịch", fill in a msgstr, upload it, see the count,
and read the English on the course page in English. The CMS is a desktop
screen (as in test_cms_slug)."""

import polib
import pytest
from django.contrib.auth.models import Group

from courses.models import CoursePage

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_download_translate_upload_and_read_in_english(
    live_server, browser, build_catalog, make_learner, tmp_path
):
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    translator = make_learner(username="nguoidich", full_name="Người Dịch")
    translator.groups.add(Group.objects.get(name="Người dịch"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(live_server.url + "/cms/login/")
    page.fill("input[name=login]", "nguoidich")
    page.fill("input[name=password]", "Matkhau@2025")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/cms/")

    page.get_by_role("link", name="Bản dịch").first.click()
    row = page.locator(f'tr[data-course="{course.pk}"][data-language="en"]')
    assert row.locator('[data-count="translated"]').inner_text() == "0"
    with page.expect_download() as download:
        row.get_by_role("link", name="Tải tệp .po").click()
    assert download.value.suggested_filename == f"khoa-hoc-{course.pk}.en.po"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    po = polib.pofile(str(path))
    po.find(
        f"page:{course.pk}:title", by="msgctxt"
    ).msgstr = "Digital skills, in English"
    po.save(str(path))

    row.get_by_role("link", name="Tải bản dịch lên").click()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="Tải lên").click()
    report = page.locator("[data-report]")
    assert "Đã nhập: 1 đoạn mới · 0 đoạn cập nhật" in report.inner_text()
    screenshot(page, "translation-cms-upload")
    page.get_by_role("link", name="Về danh sách bản dịch").click()
    assert row.locator('[data-count="translated"]').inner_text() == "1"

    page.goto(live_server.url + course.url)
    page.locator("footer button[value=en]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Digital skills, in English"
    assert "Sample translation" in page.locator("main").inner_text()
    context.close()
