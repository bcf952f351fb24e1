"""The XLSX question template beside the CSV one: every column formatted as
Text, so Excel keeps an answer typed as "1/1" as typed (issue 24, item 12)."""

import io

import pytest
from openpyxl import load_workbook

from courses.models import CoursePage
from quizzes.models import Question

from .test_question_import import upload

pytestmark = pytest.mark.django_db

ANSWER_COLUMNS = [*(f"đáp án {i}" for i in range(1, 7)), "đáp án đúng"]


@pytest.fixture
def editor(client, make_learner):
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    return client


def _template(editor):
    response = editor.get("/cms/cau-hoi/mau.xlsx")
    assert response.status_code == 200
    assert "mau-cau-hoi.xlsx" in response["Content-Disposition"]
    return response.content


def test_xlsx_template_matches_the_csv_one_with_text_answer_columns(editor):
    sheet = load_workbook(io.BytesIO(_template(editor))).active
    csv_header = (
        editor.get("/cms/cau-hoi/mau.csv").content.decode("utf-8-sig").splitlines()[0]
    )
    header = [cell.value for cell in sheet[1]]
    assert header == csv_header.split(";")
    for index, name in enumerate(header, start=1):
        if name in ANSWER_COLUMNS:
            letter = sheet.cell(row=1, column=index).column_letter
            assert sheet.column_dimensions[letter].number_format == "@", name
            example = sheet.cell(row=2, column=index)
            assert example.number_format == "@", name
    answers = {
        name: sheet.cell(row=2, column=i).value for i, name in enumerate(header, 1)
    }
    assert answers["đáp án 1"] == "1/1"
    assert answers["đáp án 2"] == "10/10"


def test_the_import_page_links_both_templates(editor):
    page = editor.get("/cms/cau-hoi/nhap/").text
    assert "/cms/cau-hoi/mau.xlsx" in page
    assert "/cms/cau-hoi/mau.csv" in page


def test_the_templates_example_rows_import(editor, build_catalog):
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    page = upload(editor, course, "mau-cau-hoi.xlsx", _template(editor), dry_run=False)
    assert "Đã thêm 1 câu hỏi" in page.text
    question = Question.objects.get()
    assert [c.text for c in question.choices.order_by("sort_order")] == [
        "1/1",
        "10/10",
        "2/9",
        "26/3",
    ]
    assert [c.correct for c in question.choices.order_by("sort_order")] == [
        False,
        True,
        False,
        False,
    ]
