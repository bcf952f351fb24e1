"""Issue 15 for the account import: control characters and formula-looking
cells are refused with a clear message, the dry run and the run answer on
PostgreSQL too, the failed-rows CSV is never live, and "thành viên" with no
team is a plain learner with a warning (findings 1, 2 and 13)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from hocvuso.accounts.import_files import headers
from hocvuso.accounts.import_rows import header_map, validate_rows
from hocvuso.accounts.models import ImportJob, LearnerType, User
from hypothesis import given
from hypothesis import strategies as st

from tests.hocvuso.accounts.test_import_rows import COMMUNE
from tests.hocvuso.text_strategies import hostile_cells, person_names

CONTROL_MESSAGE = "ký tự điều khiển"


def _csv(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers())
    writer.writerows(rows)
    return SimpleUploadedFile("danh-sach.csv", out.getvalue().encode("utf-8"))


def _upload(client, rows) -> ImportJob:
    response = client.post(reverse("import_start"), {"file": _csv(rows)})
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.latest("pk")


def _confirm(client, job) -> ImportJob:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("import_confirm", args=[job.pk]), {"delivery": "sms"}
        )
    assert response.status_code == 302
    job.refresh_from_db()
    return job


@pytest.fixture
def commune_admin(client, org_tree):
    client.force_login(org_tree.admins["commune0.0"])
    return org_tree.admins["commune0.0"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "column,row",
    [
        ("họ và tên", ["An\x00Bình", "0912000301", "", "90000", "", "", ""]),
        ("họ và tên", ["An\x07Bình", "0912000301", "", "90000", "", "", ""]),
        ("thôn/tổ dân phố", ["An Bình", "0912000301", "", "90000", "Thôn\x00", "", ""]),
        ("tổ CNSCĐ", ["An Bình", "0912000301", "", "90000", "", "Tổ\x00", ""]),
    ],
)
def test_account_import_refuses_a_control_character_in_any_cell(
    client, commune_admin, column, row
):
    job = _upload(client, [row])
    [outcome] = job.outcomes
    assert any(
        CONTROL_MESSAGE in error and column in error for error in outcome["errors"]
    ), outcome
    page = client.get(reverse("import_detail", args=[job.pk]))
    assert page.status_code == 200
    job = _confirm(client, job)
    assert job.status == "done" and job.failed == 1
    assert not User.objects.filter(phone="+84912000301").exists()


@pytest.mark.django_db
def test_account_import_failed_rows_csv_neutralises_formula_cells(
    client, commune_admin
):
    job = _upload(
        client,
        [
            ['=HYPERLINK("http://x.example")', "0912000302", "", "90000", "", "", ""],
            ["An Bình", "+SUM(A1)", "", "@SUM(A1)", "", "", ""],
        ],
    )
    failed = client.get(reverse("import_failed", args=[job.pk]))
    rows = list(
        csv.reader(io.StringIO(failed.content.decode("utf-8-sig")), delimiter=";")
    )
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://x.example")' in cells
    assert "'+SUM(A1)" in cells and "'@SUM(A1)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


@pytest.mark.django_db
def test_account_import_takes_a_member_without_team_as_a_plain_learner(
    client, commune_admin
):
    job = _upload(
        client, [["An Bình", "0912000304", "", "90000", "", "", "thành viên"]]
    )
    [outcome] = job.outcomes
    assert outcome["errors"] == [] and outcome["action"] == "create"
    assert any("người dân" in warning for warning in outcome["warnings"])
    page = client.get(reverse("import_detail", args=[job.pk]))
    assert "người dân" in page.text
    _confirm(client, job)
    user = User.objects.get(phone="+84912000304")
    assert user.learner_type == LearnerType.CITIZEN
    assert not user.team_memberships.exists()


@pytest.mark.django_db
def test_account_import_still_refuses_a_leader_without_team(client, commune_admin):
    job = _upload(client, [["An Bình", "0912000305", "", "90000", "", "", "tổ trưởng"]])
    [outcome] = job.outcomes
    assert any("chỉ dùng cho thành viên một tổ" in e for e in outcome["errors"])


def _validate(rows):
    return validate_rows(
        rows,
        columns=header_map(headers()),
        communes={"21025": COMMUNE},
        accounts={},
        phone_normalize=lambda raw: "+84912345678" if raw == "0912345678" else None,
        this_year=2026,
    )


@given(person_names())
def test_import_rows_accept_every_real_name(name):
    [outcome] = _validate([[name, "0912345678", "", "21025", "", "", ""]])
    assert outcome.ok, outcome.errors
    assert outcome.parsed.full_name == " ".join(name.split())


@given(st.integers(0, 6), hostile_cells())
def test_import_rows_never_accept_a_hostile_cell(column, cell):
    row = ["An Bình", "0912345678", "1990", "21025", "", "", ""]
    row[column] = cell
    [outcome] = _validate([row])
    assert not outcome.ok
