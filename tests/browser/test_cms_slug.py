"""The CMS fills in an ASCII slug from a Vietnamese title as the editor types
(issue 24, item 11): Wagtail's urlify turned "Định" into "djnh"."""

import pytest
from playwright.sync_api import expect

from courses.models import CatalogPage, GlossaryPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_create_view_fills_in_an_ascii_slug(
    live_server, browser, build_catalog, make_learner
):
    build_catalog(courses=1, lessons=1)
    catalog = CatalogPage.objects.get()
    make_learner(username="bientap", is_superuser=True, is_staff=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(live_server.url + "/cms/login/")
    page.fill("input[name=login]", "bientap")
    page.fill("input[name=password]", "Matkhau@2025")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/cms/")

    page.goto(live_server.url + f"/cms/pages/add/courses/glossarypage/{catalog.pk}/")
    page.locator("input[name=title]").press_sequentially("Định danh điện tử")
    page.locator("input[name=title]").blur()

    expect(page.locator("input[name=slug]")).to_have_value("dinh-danh-dien-tu")
    page.locator("footer button.action-save").first.click()
    page.wait_for_selector(".messages .success")
    assert GlossaryPage.objects.get().slug == "dinh-danh-dien-tu"
    context.close()
