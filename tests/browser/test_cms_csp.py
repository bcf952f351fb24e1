"""Wagtail's admin keeps working under the Content-Security-Policy: the page
editor and a snippet form load, their scripts run and save, and the browser
reports no violation of the policy."""

import pytest

from courses.models import CoursePage
from quizzes.models import Question

from ..conftest import add_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def editor_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    yield page
    context.close()


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def test_wagtail_editor_and_snippet_form_work_under_the_policy(
    live_server, editor_page, make_learner, make_quiz
):
    page = editor_page
    quiz = make_quiz(questions=4, draw=2)
    course = CoursePage.objects.get()
    question = add_question(course)
    make_learner(username="bientap", is_superuser=True, is_staff=True)
    console_errors = []
    page.on(
        "console",
        lambda m: console_errors.append(m.text) if m.type == "error" else None,
    )

    # The CMS's login sends to the site's one login page, and back.
    page.goto(live_server.url + "/cms/login/")
    page.fill("input[name=login]", "bientap")
    page.fill("input[name=password]", "Matkhau@2025")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/cms/")

    page.goto(live_server.url + f"/cms/pages/{quiz.pk}/edit/")
    title = page.locator("input[name=title]")
    title.fill("Bài kiểm tra cuối khóa (sửa)")
    # The tabs and the footer's action menu are Stimulus controllers.
    second_tab = page.get_by_role("tab").nth(1)
    second_tab.click()
    assert second_tab.get_attribute("aria-selected") == "true"
    page.get_by_role("tab").first.click()
    page.locator("footer button.action-save").first.click()
    page.wait_for_selector(".messages .success")
    assert _violations(page) == []

    # A snippet form with an InlinePanel: its "add" button needs the panel's JS.
    page.goto(live_server.url + f"/cms/snippets/quizzes/question/edit/{question.pk}/")
    page.locator("textarea[name=text]").fill("Mật khẩu mạnh là gì?")
    page.locator("#id_choices-ADD").click()
    page.locator("input[name='choices-4-text']").fill("Dài, có chữ và số")
    page.locator("footer button.action-save").first.click()
    page.wait_for_url("**/cms/snippets/quizzes/question/")
    question = Question.objects.get(pk=question.pk)
    assert question.text == "Mật khẩu mạnh là gì?"
    assert question.choices.count() == 5
    assert _violations(page) == []
    assert not [e for e in console_errors if "Content Security Policy" in e]
