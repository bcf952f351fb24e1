"""Retention of what an import leaves behind (README, "Personal data"): the
printed initial passwords go once their learner has logged in, or after
INITIAL_PASSWORD_RETENTION_DAYS; the uploaded rows (every name and phone of
the file) after IMPORT_UPLOAD_RETENTION_DAYS. The clock is moved by passing
`now` to the service, as the daily Celery task passes the real one."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.hashers import InitialPasswordHasher
from hocvuso.accounts.models import ImportJob, ImportStatus, User
from hocvuso.accounts.services import import_jobs_expire
from hocvuso.accounts.tasks import import_jobs_expire_task

pytestmark = pytest.mark.django_db

HEADER = ["họ và tên", "số điện thoại", "năm sinh", "mã xã"]


def _member(phone: str, name: str, password: str) -> User:
    return User.objects.create(
        username=phone.lstrip("+"),
        phone=phone,
        full_name=name,
        password=make_password(password, hasher=InitialPasswordHasher()),
        must_change_password=True,
        phone_verified=True,
    )


@pytest.fixture
def done_import(org_tree):
    """A sheet import of two members, finished a moment ago."""
    _member("+84912000301", "Vũ Thị Hoa", "hoa4pw7xyz")
    _member("+84912000302", "Vũ Văn Hòa", "hoa9pw2abc")
    now = timezone.now()
    return ImportJob.objects.create(
        created_by=org_tree.admins["commune0.0"],
        file_name="danh-sach.csv",
        status=ImportStatus.DONE,
        finished_at=now,
        rows=[
            HEADER,
            ["Vũ Thị Hoa", "0912000301", "1990", "90000"],
            ["Vũ Văn Hòa", "0912000302", "", "90000"],
        ],
        outcomes=[
            {
                "n": 2,
                "cells": {"full_name": "Vũ Thị Hoa", "phone": "0912000301"},
                "errors": [],
                "warnings": [],
                "action": "create",
            },
            {
                "n": 3,
                "cells": {"full_name": "Vũ Văn Hòa", "phone": "0912000302"},
                "errors": [],
                "warnings": [],
                "action": "create",
            },
        ],
        total=2,
        processed=2,
        created=2,
        passwords=[
            ["Vũ Thị Hoa", "0912 000 301", "hoa4pw7xyz"],
            ["Vũ Văn Hòa", "0912 000 302", "hoa9pw2abc"],
        ],
    )


def _sheet(client, job) -> str:
    return client.get(reverse("import_password_sheet", args=[job.pk])).text


def test_a_password_leaves_the_sheet_once_its_learner_has_logged_in(
    client, org_tree, done_import
):
    response = client.post(
        reverse("account_login"), {"login": "0912 000 301", "password": "hoa4pw7xyz"}
    )
    assert response.status_code == 302
    import_jobs_expire(now=timezone.now())

    client.force_login(org_tree.admins["commune0.0"])
    sheet = _sheet(client, done_import)
    assert "hoa4pw7xyz" not in sheet  # Hoa has logged in
    assert "hoa9pw2abc" in sheet  # Hòa has not, yet
    done_import.refresh_from_db()
    assert done_import.passwords == [["Vũ Văn Hòa", "0912 000 302", "hoa9pw2abc"]]


def test_every_initial_password_goes_after_the_retention_period(
    client, org_tree, done_import
):
    days = settings.INITIAL_PASSWORD_RETENTION_DAYS
    finished = done_import.finished_at
    import_jobs_expire(now=finished + timedelta(days=days) - timedelta(minutes=1))
    done_import.refresh_from_db()
    assert len(done_import.passwords) == 2

    import_jobs_expire(now=finished + timedelta(days=days, minutes=1))
    client.force_login(org_tree.admins["commune0.0"])
    sheet = _sheet(client, done_import)
    assert "hoa4pw7xyz" not in sheet and "hoa9pw2abc" not in sheet
    assert "Không còn mật khẩu nào để in." in sheet
    # Only the record is cleared: the account still opens with it once.
    assert User.objects.get(phone="+84912000302").check_password("hoa9pw2abc")


def test_uploaded_rows_are_deleted_after_their_period_and_the_counts_stay(
    client, org_tree, settings, done_import
):
    settings.IMPORT_UPLOAD_RETENTION_DAYS = 10
    created = done_import.created_at
    import_jobs_expire(now=created + timedelta(days=9))
    client.force_login(org_tree.admins["commune0.0"])
    assert (
        "Vũ Thị Hoa" in client.get(reverse("import_detail", args=[done_import.pk])).text
    )

    import_jobs_expire(now=created + timedelta(days=10, minutes=1))
    done_import.refresh_from_db()
    assert (done_import.rows, done_import.outcomes, done_import.passwords) == (
        [],
        [],
        [],
    )
    assert (done_import.total, done_import.created) == (2, 2)
    page = client.get(reverse("import_detail", args=[done_import.pk])).text
    assert "Vũ Thị Hoa" not in page and "0912000301" not in page
    assert "đã được xóa theo thời hạn lưu giữ" in page
    failed_rows = client.get(reverse("import_failed", args=[done_import.pk]))
    assert "Vũ" not in failed_rows.content.decode("utf-8-sig")


def test_an_unconfirmed_preview_is_deleted_and_a_queued_run_left_alone(org_tree):
    admin = org_tree.admins["commune0.0"]
    rows = [HEADER, ["Vũ Thị Hoa", "0912000301", "1990", "90000"]]
    preview = ImportJob.objects.create(created_by=admin, file_name="a.csv", rows=rows)
    queued = ImportJob.objects.create(
        created_by=admin, file_name="b.csv", rows=rows, status=ImportStatus.QUEUED
    )
    later = timezone.now() + timedelta(days=settings.IMPORT_UPLOAD_RETENTION_DAYS + 1)
    import_jobs_expire(now=later)
    assert not ImportJob.objects.filter(pk=preview.pk).exists()
    queued.refresh_from_db()
    assert queued.rows == rows


def test_the_daily_task_applies_the_rules(client, org_tree, done_import):
    schedule = settings.CELERY_BEAT_SCHEDULE["import-retention"]
    assert schedule["task"] == "hocvuso.accounts.tasks.import_jobs_expire_task"
    assert schedule["schedule"].hour == {2}
    client.post(
        reverse("account_login"), {"login": "0912 000 302", "password": "hoa9pw2abc"}
    )
    import_jobs_expire_task.delay()
    done_import.refresh_from_db()
    assert [entry[0] for entry in done_import.passwords] == ["Vũ Thị Hoa"]
