"""Large exports run as background jobs (eager Celery here): from
REPORTS_EXPORT_ASYNC_FROM learners the export link queues a job and shows its
progress; the file equals the direct export and only its requester gets it."""

import csv
import io

import pytest
from django.urls import reverse
from hocvuso.orgunits.models import AdminRole
from hocvuso.reports import services
from hocvuso.reports.models import ExportJob, ExportKind, ExportStatus
from hocvuso.reports.services import ExportError, export_job_run, export_job_start
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

WHEN = "Thời điểm lập báo cáo"


def _q(data):
    return f"subject=programme:{data.programme.pk}&audience="


def _sheets(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's rows, without the generation time (minutes may differ)."""
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return {
        name: [r for r in wb[name].iter_rows(values_only=True) if r[:1] != (WHEN,)]
        for name in wb.sheetnames
    }


def _download(client, job) -> bytes:
    response = client.get(reverse("report_export_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def async_from(settings):
    """Exports of 1 learner or more go to the background."""
    settings.REPORTS_EXPORT_ASYNC_FROM = 1
    return settings


def test_a_large_report_export_is_a_job_whose_xlsx_equals_the_direct_one(
    client, org_tree, dataset, async_from, django_capture_on_commit_callbacks
):
    client.force_login(org_tree.admins["province0"])
    province = org_tree.provinces[0]
    url = reverse("report_xlsx", args=[province.code]) + "?" + _q(dataset)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_export_job", args=[job.pk])
    assert job.status == ExportStatus.DONE
    assert (job.done, job.total) == (3, 3)  # province, communes, villages
    assert job.file.name.startswith("exports/")
    page = client.get(response["Location"])
    assert "Tải tệp" in page.text
    assert reverse("report_export_download", args=[job.pk]) in page.text
    in_background = _sheets(_download(client, job))

    async_from.REPORTS_EXPORT_ASYNC_FROM = 10**9
    direct = client.get(url)
    assert direct["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _sheets(direct.content) == in_background
    assert ExportJob.objects.count() == 1

    report = client.get(
        reverse("report_unit", args=[province.code]) + "?" + _q(dataset)
    ).context["report"]
    rows = in_background["Xã, phường"]
    by_code = {r[0]: r for r in rows if r}
    for row in report.rows:
        assert by_code[row.code][3] == row.figures.in_scope  # after the province
        assert by_code[row.code][6] == row.figures.completed
    assert rows[-1][1] == "Tổng cộng"
    assert rows[-1][3] == report.total.figures.in_scope


def test_the_learner_list_csv_and_xlsx_in_the_background_equal_the_direct_ones(
    client,
    org_tree,
    dataset,
    async_from,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(services, "EXPORT_PROGRESS_EVERY", 7)
    client.force_login(org_tree.admins["commune0.0"])
    village = org_tree.villages[0]
    base = reverse("report_learners", args=[village.code]) + "?" + _q(dataset)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(base + "&status=learning&format=csv")
        client.get(base + "&format=xlsx")
    csv_job = ExportJob.objects.get(kind=ExportKind.LEARNERS_CSV)
    xlsx_job = ExportJob.objects.get(kind=ExportKind.LEARNERS_XLSX)
    assert csv_job.status == xlsx_job.status == ExportStatus.DONE
    assert csv_job.done == csv_job.total > 0
    assert xlsx_job.done == xlsx_job.total > csv_job.total  # all statuses
    assert xlsx_job.file_name == f"hoc-vien-{village.code}-chuong-trinh-thu.xlsx"

    text = _download(client, csv_job).decode("utf-8-sig")
    in_background = [
        r for r in csv.reader(io.StringIO(text), delimiter=";") if r[:1] != [WHEN]
    ]
    xlsx_rows = _sheets(_download(client, xlsx_job))["Học viên"]

    async_from.REPORTS_EXPORT_ASYNC_FROM = 10**9
    response = client.get(base + "&status=learning&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    direct = [
        r for r in csv.reader(io.StringIO(text), delimiter=";") if r[:1] != [WHEN]
    ]
    assert in_background == direct
    learners = direct[[r[:1] for r in direct].index(["Họ và tên"]) + 1 :]
    assert len(learners) == csv_job.total
    assert {r[3] for r in learners} == {"Đang học"}
    # The commune admin sees the full numbers of their own commune's learners.
    assert all(r[1].startswith("+849") and "x" not in r[1] for r in learners)
    assert _sheets(client.get(base + "&format=xlsx").content)["Học viên"] == (xlsx_rows)


def test_another_admin_cannot_see_or_download_the_job(
    client, org_tree, dataset, async_from, django_capture_on_commit_callbacks
):
    commune = org_tree.communes[0]
    client.force_login(org_tree.admins["commune0.0"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("report_csv", args=[commune.code]) + "?" + _q(dataset))
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE
    page = reverse("report_export_job", args=[job.pk])
    download = reverse("report_export_download", args=[job.pk])
    # The province admin has the unit in scope but did not ask for the file.
    for other in ("commune0.1", "province0", "province1"):
        client.force_login(org_tree.admins[other])
        assert client.get(page).status_code == 404
        assert client.get(download).status_code == 404
    client.force_login(org_tree.admins["superuser"])
    assert client.get(download).status_code == 200


def test_an_admin_cannot_start_a_job_outside_their_subtree(
    client, org_tree, dataset, async_from
):
    client.force_login(org_tree.admins["commune0.0"])
    other = org_tree.communes[1]
    for url in (
        reverse("report_xlsx", args=[other.code]),
        reverse("report_learners", args=[org_tree.villages[3].code]),
    ):
        assert client.get(f"{url}?{_q(dataset)}&format=xlsx").status_code == 404
    with pytest.raises(ExportError):
        export_job_start(
            user=org_tree.admins["commune0.0"],
            unit=other,
            filters={"subject": f"programme:{dataset.programme.pk}"},
            kind=ExportKind.REPORT_XLSX,
        )
    assert not ExportJob.objects.exists()


def test_the_task_checks_the_scope_again(org_tree, dataset, async_from):
    admin = org_tree.admins["commune0.0"]
    job = export_job_start(
        user=admin,
        unit=org_tree.communes[0],
        filters={"subject": f"programme:{dataset.programme.pk}", "audience": ""},
        kind=ExportKind.LEARNERS_XLSX,
    )
    AdminRole.objects.filter(user=admin).delete()  # the role ends before the run
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportStatus.FAILED
    assert "phạm vi quản lý" in job.error
    assert not job.file


def test_rerunning_a_done_job_does_not_rebuild_it(org_tree, dataset, monkeypatch):
    job = export_job_start(
        user=org_tree.admins["province0"],
        unit=org_tree.provinces[0],
        filters={"subject": f"programme:{dataset.programme.pk}", "audience": ""},
        kind=ExportKind.REPORT_XLSX,
    )
    first = export_job_run(job_id=job.pk)
    assert first.status == ExportStatus.DONE

    def must_not_build(**kwargs):
        raise AssertionError("a done job was built again")

    monkeypatch.setitem(services._BUILDERS, ExportKind.REPORT_XLSX, must_not_build)
    again = export_job_run(job_id=job.pk)
    assert again.status == ExportStatus.DONE
    assert (again.file.name, again.finished_at) == (first.file.name, first.finished_at)


def test_a_failing_build_marks_the_job_failed_with_a_message(
    client,
    org_tree,
    dataset,
    async_from,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services.exports, "learners_workbook", broken)
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_learners", args=[org_tree.villages[0].code])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"{url}?{_q(dataset)}&format=xlsx")
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and job.finished_at and not job.file
    assert "Không tạo được tệp" in job.error
    page = client.get(response["Location"]).text
    assert "Không tạo được tệp" in page
    assert "Tạo lại tệp" in page and "Tải tệp" not in page
    download = reverse("report_export_download", args=[job.pk])
    assert client.get(download).status_code == 404


def test_a_queued_job_shows_its_progress_and_polls(
    client, org_tree, dataset, async_from
):
    """Without on_commit running the task, the job stays queued."""
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_xlsx", args=[org_tree.communes[0].code]) + "?" + _q(dataset)
    first = client.get(url)
    second = client.get(url)  # a second click reuses the job being built
    assert first["Location"] == second["Location"]
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.QUEUED
    page = client.get(first["Location"])
    assert "Đang tạo tệp… 0%" in page.text
    assert 'http-equiv="refresh"' in page.text  # without JavaScript
    fragment = client.get(first["Location"], headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in fragment.text
    assert "<html" not in fragment.text
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, done=2, total=3
    )
    fragment = client.get(first["Location"], headers={"HX-Request": "true"})
    assert "Đang tạo tệp… 66%" in fragment.text
    # The admin's other recent exports are listed under it.
    csv_url = reverse("report_csv", args=[org_tree.communes[0].code])
    other = client.get(csv_url + "?" + _q(dataset))["Location"]
    assert other in client.get(first["Location"]).text
    assert "Báo cáo (CSV)" in client.get(first["Location"]).text


def test_below_the_threshold_the_export_stays_direct(client, org_tree, dataset):
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_xlsx", args=[org_tree.communes[0].code]) + "?" + _q(dataset)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["quarter=2026-Q2", "start=2026-02-03&end=2026-05-31", "start=2026-03-01", ""],
)
def test_the_job_keeps_the_period_and_audience_of_the_page(
    rf, org_tree, dataset, query
):
    """The filters are stored as data and validated again by the task: the
    period and audience it uses are those the admin chose."""
    from hocvuso.orgunits.selectors import admin_scope_get
    from hocvuso.reports.filters import filters_from_data, filters_from_request

    request = rf.get(
        f"/?subject=programme:{dataset.programme.pk}&audience=team_member&{query}"
    )
    # As the report views give it (unit_admin_required): the courses offered
    # follow the administrator's scope.
    request.scope = admin_scope_get(user=org_tree.admins["province0"])
    _form, chosen = filters_from_request(request)
    again = filters_from_data(chosen.as_data())
    assert again == chosen
    assert again.describe() == chosen.describe()
