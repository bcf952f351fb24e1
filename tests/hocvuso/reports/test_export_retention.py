"""Export files (learner lists with phones, reports) are deleted after
EXPORT_FILE_RETENTION_DAYS by the daily Celery task; the clock is moved by
passing `now` to the service."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from hocvuso.reports.models import ExportJob
from hocvuso.reports.services import export_jobs_expire
from hocvuso.reports.tasks import export_jobs_expire_task

pytestmark = pytest.mark.django_db


def _export(org_tree, **fields) -> ExportJob:
    return ExportJob.objects.create(
        requested_by=org_tree.admins["commune0.0"],
        kind="learners_csv",
        unit=org_tree.communes[0],
        filters={"q": "Hoa"},
        file=ContentFile(
            b"ho va ten,so dien thoai\nVu Thi Hoa,0912000301\n", name="hv.csv"
        ),
        file_name="hoc-vien.csv",
        **fields,
    )


def test_an_export_file_is_deleted_after_its_period(client, org_tree):
    job = _export(org_tree, status="done")
    storage, name = job.file.storage, job.file.name
    client.force_login(org_tree.admins["commune0.0"])
    download = reverse("report_export_download", args=[job.pk])
    days = settings.EXPORT_FILE_RETENTION_DAYS

    export_jobs_expire(now=job.created_at + timedelta(days=days) - timedelta(minutes=1))
    assert client.get(download).status_code == 200

    export_jobs_expire(now=job.created_at + timedelta(days=days, minutes=1))
    assert not storage.exists(name)
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert client.get(download).status_code == 404
    assert client.get(reverse("report_export_job", args=[job.pk])).status_code == 404


def test_a_job_still_being_built_is_left_alone(org_tree, settings):
    settings.EXPORT_FILE_RETENTION_DAYS = 1
    job = _export(org_tree, status="running")
    export_jobs_expire(now=job.created_at + timedelta(days=2))
    assert ExportJob.objects.filter(pk=job.pk).exists()
    assert job.file.storage.exists(job.file.name)


def test_the_daily_task_deletes_expired_files(org_tree):
    schedule = settings.CELERY_BEAT_SCHEDULE["export-retention"]
    assert schedule["task"] == "hocvuso.reports.tasks.export_jobs_expire_task"
    job = _export(org_tree, status="done")
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=job.created_at
        - timedelta(days=settings.EXPORT_FILE_RETENTION_DAYS + 1)
    )
    export_jobs_expire_task.delay()
    assert not ExportJob.objects.exists()
    assert not job.file.storage.exists(job.file.name)
