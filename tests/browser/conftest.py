"""Playwright driving Debian's Chromium at a phone viewport.

Playwright cannot download its own browser here, so it is pointed at the
system one (CHROMIUM_PATH, default /usr/bin/chromium)."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between browser steps are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page in a fresh phone-sized context (no cookies, Vietnamese locale)."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(transactional_db, settings):
    # Without the demo's teams, assignments and progress: the tests count
    # what they make themselves.
    call_command(
        "seed_demo", "--allow-production", "--no-media", "--no-story", verbosity=0
    )


@pytest.fixture
def demo_with_media(request, settings, tmp_path):
    """The demo, with the video and audio of its first course (the others
    without: transcoding all seven takes minutes). Returns that course."""
    from courses.demo import SeedCounts
    from courses.demo_media import course_media_seed
    from courses.models import CoursePage

    settings.MEDIA_ROOT = tmp_path / "media"
    request.getfixturevalue("demo_site")
    course = CoursePage.objects.get(topic_number=1)
    course_media_seed(course=course, counts=SeedCounts())
    return course


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_for_js(page, expression: str, *, timeout: float = 15_000, every=100) -> None:
    """Wait until `expression` is truthy in the page.

    Playwright's wait_for_function evaluates its predicate with eval() inside
    the page, which the Content-Security-Policy (script-src 'self') forbids;
    page.evaluate goes through the DevTools protocol and is not affected.
    """
    waited = 0.0
    while not page.evaluate(expression):
        if waited >= timeout:
            raise TimeoutError(f"still false after {timeout} ms: {expression}")
        page.wait_for_timeout(every)
        waited += every


def mark_lesson_done(page, *, button: str = "Hoàn thành bài học") -> None:
    """Press the lesson's button and wait for the page it leads to: the
    script sends it and then moves on (page_state.js), so the click itself
    starts no navigation to wait for."""
    left = page.url
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lambda url: url != left)
    page.wait_for_load_state()
