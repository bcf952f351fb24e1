"""At 360 px: a large export opens its job page, which follows the progress by
itself (htmx) and offers "Tải tệp" once the worker has built the file."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hocvuso.reports.models import ExportJob
from hocvuso.reports.services import export_job_run
from openpyxl import load_workbook

from tests.browser.conftest import screenshot

# The report data builders live with the report tests; the browser fixtures
# come from this folder's conftest (one Playwright per session).
from tests.hocvuso.conftest import org_tree  # noqa: F401
from tests.hocvuso.reports.conftest import catalog_and_quiz, dataset  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_job_page_shows_the_download_when_the_worker_is_done(
    live_server,
    phone,
    org_tree,  # noqa: F811 (the fixtures imported above)
    dataset,  # noqa: F811
    settings,
    monkeypatch,
):
    from hocvuso.reports import tasks

    settings.REPORTS_EXPORT_ASYNC_FROM = 1
    # No worker: the job stays queued until the test runs it below.
    monkeypatch.setattr(tasks.export_job_run_task, "delay", lambda job_id: None)
    page = phone
    # Logged in through a session cookie: the login form is the accounts
    # app's business, tested there.
    client = Client()
    client.force_login(org_tree.admins["commune0.0"])
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": live_server.url,
            }
        ]
    )

    village = org_tree.villages[0]
    query = f"subject=programme:{dataset.programme.pk}&audience=&format=xlsx"
    page.goto(f"{live_server.url}/quan-tri/bao-cao/{village.code}/hoc-vien/?{query}")
    page.wait_for_url("**/quan-tri/bao-cao/tep/**")
    assert page.get_by_text("Đang tạo tệp… 0%").is_visible()
    screenshot(page, "export-job-queued")

    export_job_run(job_id=ExportJob.objects.get().pk)
    download_link = page.get_by_role("link", name="Tải tệp")
    download_link.wait_for(timeout=10_000)  # the next htmx poll brings it
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "export-job-done")
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert (
        download.suggested_filename == f"hoc-vien-{village.code}-chuong-trinh-thu.xlsx"
    )
    with open(download.path(), "rb") as fh:  # saved without an extension
        wb = load_workbook(fh, read_only=True)
    assert wb.sheetnames == ["Học viên"]
