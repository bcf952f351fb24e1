"""Issue 24, finding 1: the report, the learner list and the live page read
well on a 1366 × 768 desk and a 360 × 740 phone: nothing is wider than its
column, no word is broken inside, the first screen shows the unit's totals;
and finding 2 in a real browser: every header sorts up, then down."""

import re

import pytest
from hocvuso.core.collation import vietnamese_sort_key
from hocvuso.core.demo import DEMO_PASSWORD, DEMO_PROVINCE

from .conftest import screenshot
from .test_reports import report_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desk": {"width": 1366, "height": 768}, "phone": {"width": 360, "height": 740}}

# What a reader would notice, measured in the page: the page scrolling
# sideways, a table box wider than its column, a cell whose content spills
# out of it, and a word drawn on two lines (a Range over the word has one
# client rect per line it is drawn on).
LAYOUT_JS = """() => {
  const out = {pageWidth: document.scrollingElement.scrollWidth,
               viewport: window.innerWidth, boxes: [], spills: [], broken: []};
  for (const box of document.querySelectorAll(".table-wrap")) {
    const column = box.parentElement.getBoundingClientRect().width;
    const width = box.getBoundingClientRect().width;
    if (width > column + 0.5) out.boxes.push([width, column]);
  }
  for (const cell of document.querySelectorAll("table th, table td")) {
    if (cell.scrollWidth > cell.clientWidth + 1)
      out.spills.push([cell.innerText, cell.scrollWidth, cell.clientWidth]);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) out.broken.push(m[0]);
      }
    }
  }
  return out;
}"""


def _assert_reads_well(page, name: str) -> None:
    m = page.evaluate(LAYOUT_JS)
    assert m["pageWidth"] <= m["viewport"], f"{name}: the page scrolls sideways"
    assert not m["boxes"], f"{name}: a table box is wider than its column {m['boxes']}"
    assert not m["spills"], f"{name}: content spills out of cells {m['spills'][:5]}"
    assert not m["broken"], f"{name}: words broken inside {m['broken'][:10]}"


def _on_first_screen(page, selector: str) -> bool:
    return page.evaluate(
        f"""() => {{
          const el = document.querySelector({selector!r});
          return !!el && el.getBoundingClientRect().bottom <= window.innerHeight;
        }}"""
    )


@pytest.fixture
def admin_page(browser, live_server, demo_site):
    def open_as(size: str):
        context = browser.new_context(viewport=SIZES[size], locale="vi-VN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(live_server.url + "/tai-khoan/login/")
        page.fill("input[name=login]", "quantritinh")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"^(?!.*login)"))
        return page

    return open_as


@pytest.mark.parametrize("size", list(SIZES))
def test_report_learner_list_and_live_page_read_well(admin_page, live_server, size):
    a, _b, (one, _two) = report_data()
    page = admin_page(size)
    base = live_server.url
    page.goto(base + "/quan-tri/bao-cao/")
    page.locator("table.report").wait_for()
    assert _on_first_screen(page, ".report-totals"), "totals below the first screen"
    _assert_reads_well(page, f"report {size}")
    screenshot(page, f"report-{size}")

    page.goto(f"{base}/quan-tri/bao-cao/{a.code}/")
    _assert_reads_well(page, f"commune report {size}")

    page.goto(f"{base}/quan-tri/bao-cao/{one.code}/hoc-vien/")
    page.locator("table.report").wait_for()
    _assert_reads_well(page, f"learner list {size}")
    screenshot(page, f"learners-{size}")

    page.goto(f"{base}/quan-tri/bao-cao/{DEMO_PROVINCE}/truc-tiep/")
    page.locator("table#live").wait_for()
    assert _on_first_screen(page, "#live tr.total"), (
        "live totals below the first screen"
    )
    _assert_reads_well(page, f"live {size}")
    screenshot(page, f"live-{size}")


def test_every_header_sorts_up_then_down_in_the_browser(admin_page, live_server):
    report_data()
    page = admin_page("desk")
    page.goto(live_server.url + "/quan-tri/bao-cao/")
    page.locator("table.report").wait_for()
    keys = page.eval_on_selector_all(
        "a[data-sort]", "els => els.map(e => e.dataset.sort)"
    )
    assert "name" in keys and "average" in keys
    for key in keys:
        states = []
        for _ in range(2):
            with page.expect_navigation():
                page.locator(f'a[data-sort="{key}"]').click()
            assert "Trường này là bắt buộc" not in page.content()
            state = page.get_attribute(f'th:has(a[data-sort="{key}"])', "aria-sort")
            assert state in ("ascending", "descending"), key
            states.append(state)
            if key == "name":
                names = page.eval_on_selector_all(
                    "table.report tbody:not(.total-first) tr th",
                    "els => els.map(e => e.innerText.trim())",
                )
                expected = sorted(names, key=vietnamese_sort_key)
                if state == "descending":
                    expected.reverse()
                assert names == expected
        assert states[0] != states[1], f"{key} does not turn round"
        assert len(page.url) < 400, "the query grows"
