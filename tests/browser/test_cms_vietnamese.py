"""The CMS reads in Vietnamese for a content editor and a unit admin (issue 24,
item 10): every screen they can reach from the admin menu, the explorer, an
edit and a create page of each page type and the snippets is walked, and any
visible English admin word fails the test, with the screen and the text."""

import json
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from hocvuso.accounts.models import User
from hocvuso.accounts.services import consent_give
from hocvuso.core.demo import DEMO_PASSWORD, demo_privacy_notice_seed
from hocvuso.orgunits.models import AdminRole, AdminRoleKind
from wagtail.models import Page

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words of Wagtail's and Django's English admin that are not Vietnamese
# syllables, so a hit is English left untranslated.
ENGLISH_WORDS = re.compile(
    r"\b(save|edit|delete|add|search|pages?|images?|documents?|snippets?|reports?"
    r"|settings|help|draft|live|publish(ed)?|preview|status|updated|type|actions?"
    r"|more|title|sort|filters?|cancel|create[ds]?|choose|upload|dashboard"
    r"|welcome|account|log|sign|next|previous|close|back|view|select|show|hide"
    r"|owner|collections?|tags|workflow|history|copy|move|unpublish|comments"
    r"|users|groups|apply|clear|order|date|name|file|size|modified|results"
    r"|showing|items|yes|required|enter|private|public|locked|lock|unlock"
    r"|revisions|scheduled|expired|content|promote|parent|subpages|explorer?"
    r"|toggle|remove|replace|download|usage|used|never|ago|minutes|hours|days"
    r"|the|and|of|your|this|with|for)\b",
    re.IGNORECASE,
)
# Proper names and the editor's own words, which stay as they are.
ALLOWED = ("CH Play", "App Store", "Google Play", "Play Store")

VISIBLE_TEXTS = """() => {
  const texts = [[document.title, "title"]];
  const rendered = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  // What the editor typed is content, not the CMS's chrome.
  const content = "script, style, template, noscript, [contenteditable=true], "
    + "textarea, .w-sr-only, .visuallyhidden";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const el = walker.currentNode.parentElement;
    if (text && !el.closest(content) && rendered(el)) {
      texts.push([text, `${el.tagName.toLowerCase()}.${el.className}`]);
    }
  }
  for (const el of document.querySelectorAll("[placeholder]")) {
    if (rendered(el)) texts.push([el.getAttribute("placeholder"), "placeholder"]);
  }
  for (const el of document.querySelectorAll("input[type=submit][value]")) {
    if (rendered(el) && !el.closest(content)) texts.push([el.value, "button"]);
  }
  return texts;
}"""

# Links that act instead of showing a screen, or show the site, not the CMS.
NOT_A_SCREEN = re.compile(
    r"/logout/|/delete/|/unpublish/|/revert/|/lock/|/unlock/|/preview/"
    r"|/view_draft/|/download/|export=|/serve/|/workflow/|/jsi18n/|/sidebar/"
    r"|\.(csv|xlsx|pdf|png|po)$"
)
MAX_SCREENS = 150


def _sidebar_urls(page) -> list[str]:
    """The admin menu is drawn by script from JSON: its submenus' links are
    not in the page until opened, so read them from the JSON."""
    props = page.locator("#wagtail-sidebar-props")
    if not props.count():
        return []
    return re.findall(r'"url": ?"(/cms/[^"]*)"', props.text_content())


def _screen_key(path: str, page_models: dict[int, str]) -> str:
    """One screen per kind: /cms/pages/12/edit/ of a lesson is the same screen
    as that of another lesson, not that of a quiz."""
    match = re.match(r"/cms/pages/(\d+)/(.*)", path)
    if match and int(match[1]) in page_models:
        return f"/cms/pages/{page_models[int(match[1])]}/{match[2]}"
    return re.sub(r"\d+", "N", path)


def _english_on(page) -> list[str]:
    found = []
    for text, where in page.evaluate(VISIBLE_TEXTS):
        for name in ALLOWED:
            text = text.replace(name, "")
        if ENGLISH_WORDS.search(text):
            found.append(f"{text[:120]} ({where[:60]})")
    return sorted(set(found))


def _walk(page, base: str) -> dict[str, list[str]]:
    page_models = {
        pk: model for pk, model in Page.objects.values_list("pk", "content_type__model")
    }
    # A create view of each page type under the pages that take children.
    starts = ["/cms/"]
    for parent in Page.objects.filter(depth__gte=2).specific():
        for model in parent.specific_class.creatable_subpage_models():
            meta = model._meta
            starts.append(
                f"/cms/pages/add/{meta.app_label}/{meta.model_name}/{parent.pk}/"
            )
    queue, seen, english = list(starts), set(), defaultdict(list)
    while queue and len(seen) < MAX_SCREENS:
        path = queue.pop(0)
        key = _screen_key(urlsplit(path).path, page_models)
        if key in seen or NOT_A_SCREEN.search(path):
            continue
        seen.add(key)
        response = page.goto(base + path)
        if response is None or response.status != 200:
            continue
        if not urlsplit(page.url).path.startswith("/cms/"):
            continue
        # What hides behind the footer's "More actions" (publish is there).
        for toggle in page.locator("footer [data-w-dropdown-target=toggle]").all():
            if toggle.is_visible():
                toggle.click()
        english[path] = _english_on(page)
        links = page.eval_on_selector_all(
            "a[href^='/cms/'], a[href^='" + base + "/cms/']",
            "els => els.map(a => a.getAttribute('href'))",
        )
        for link in _sidebar_urls(page) + links:
            queue.append(link.removeprefix(base).split("#")[0])
    assert len(seen) > 5, seen
    return {path: texts for path, texts in english.items() if texts}


def _log_in(browser, base: str, username: str):
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="vi-VN"
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(base + "/cms/login/")
    assert _english_on(page) == []
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(base + "/cms/")
    return context, page


@pytest.fixture
def editor(demo_site):
    user = User.objects.create_user(
        username="bientap", password=DEMO_PASSWORD, full_name="Biên Tập Viên"
    )
    province = AdminRole.objects.get(user__username="quantritinh").unit
    AdminRole.objects.create(
        user=user, role=AdminRoleKind.CONTENT_EDITOR, unit=province
    )
    consent_give(user=user, notice=demo_privacy_notice_seed())
    return user


@pytest.fixture
def translator(demo_site):
    """The demo's translator (seed_demo), in the translators' group: the
    CMS's "Bản dịch" screens."""
    user = User.objects.get(username="nguoidich")
    assert user.groups.filter(name="Người dịch").exists()
    return user


@pytest.mark.parametrize("username", ["bientap", "quantrixa", "nguoidich"])
def test_every_cms_screen_reads_in_vietnamese(
    live_server, browser, editor, translator, username
):
    context, page = _log_in(browser, live_server.url, username)
    english = _walk(page, live_server.url)
    context.close()
    report = json.dumps(english, ensure_ascii=False, indent=1)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"cms-english-{username}.json").write_text(report)
    assert english == {}, report
