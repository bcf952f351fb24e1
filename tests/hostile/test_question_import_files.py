"""Issue 24, item 12: hostile question files. Each is answered with a
Vietnamese message, never a 500, and adds nothing, neither at once nor through
the dry run's "Xác nhận nhập"."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from courses.models import CoursePage
from quizzes.models import Question, QuestionImportPreview
from quizzes.question_import import COLUMNS
from tests.quizzes.test_question_import import csv_bytes, row

from . import corpus

pytestmark = pytest.mark.django_db
QUESTION_IMPORT = "/cms/cau-hoi/nhap/"
FORMULA = "bảng tính sẽ coi là công thức"


@pytest.fixture
def editor(client, make_learner, build_catalog):
    build_catalog(courses=1, lessons=1)
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    return client


def _post(client, name: str, content: bytes, *, dry_run: bool):
    data = {
        "course": CoursePage.objects.get().pk,
        "file": SimpleUploadedFile(name, content),
    }
    if dry_run:
        data["dry_run"] = "on"
    return client.post(QUESTION_IMPORT, data)


def _refused(client, name: str, content: bytes, message: str) -> None:
    """Neither the dry run nor the real run adds anything, and both say why."""
    for dry_run in (True, False):
        response = _post(client, name, content, dry_run=dry_run)
        assert response.status_code in (200, 400)
        assert message in response.text
        assert "Xác nhận nhập" not in response.text
    assert not Question.objects.exists()
    assert not QuestionImportPreview.objects.exists()


def _xlsx_text(rows: list[list[str]], *, title: str = "Câu hỏi") -> bytes:
    """A workbook whose cells hold the text as typed (a cell starting with
    "=" kept as text, as Excel does after an apostrophe)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for values in rows:
        sheet.append(values)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMULA_ROWS = [
    row(câu_hỏi='=HYPERLINK("http://lua-dao.example","Bấm vào đây")'),
    row(câu_hỏi="Câu có đáp án lệnh?", đáp_án_1="+cmd|' /C calc'!A0"),
    row(câu_hỏi="Câu có giải thích công thức?", giải_thích="@SUM(1+1)*cmd|' /C calc'"),
    row(câu_hỏi="Câu có nhãn trừ?", nhãn="-2+3+cmd|' /C calc'!A0"),
]


@pytest.mark.parametrize("cells", FORMULA_ROWS)
def test_formula_cells_in_csv_are_refused(editor, cells):
    _refused(editor, "cau-hoi.csv", csv_bytes([cells]), FORMULA)


@pytest.mark.parametrize("cells", FORMULA_ROWS)
def test_formula_cells_in_xlsx_are_refused(editor, cells):
    _refused(editor, "cau-hoi.xlsx", _xlsx_text([COLUMNS, cells]), FORMULA)


def test_a_signed_number_answer_is_not_a_formula(editor):
    content = csv_bytes([row(câu_hỏi="Nhiệt độ?", đáp_án_1="-5", đáp_án_2="+5")])
    _post(editor, "cau-hoi.csv", content, dry_run=False)
    assert Question.objects.get().choices.count() == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cau-hoi.csv", b"\x00" * 2000),
        ("cau-hoi.csv", csv_bytes([row(câu_hỏi="Câu\x00 hỏi?")])),
        ("cau-hoi.csv", csv_bytes([row(câu_hỏi="Câu hỏi?", giải_thích="Vì\x00.")])),
        ("cau-hoi.xlsx", b"PK\x03\x04" + b"\x00" * 2000),
    ],
    ids=["only NUL", "NUL in the question", "NUL in the explanation", "NUL zip"],
)
def test_nul_bytes_are_refused(editor, name, content):
    for dry_run in (True, False):
        response = _post(editor, name, content, dry_run=dry_run)
        assert response.status_code in (200, 400)
        assert any(
            message in response.text
            for message in (
                "ký tự điều khiển",
                "Không đọc được tệp",
                "Tệp CSV",
                "Tệp thiếu cột:",
            )
        ), response.text[-2000:]
        assert "Xác nhận nhập" not in response.text
    assert not Question.objects.exists()


def test_a_good_row_beside_a_nul_row_is_kept_for_confirmation(editor):
    """The preview stores what is good; the refused cell with its NUL never
    reaches the database (PostgreSQL's jsonb refuses NUL)."""
    content = csv_bytes([row(câu_hỏi="Câu\x00 hỏi?"), row(câu_hỏi="Câu tốt?")])
    response = _post(editor, "cau-hoi.csv", content, dry_run=True)
    assert "ký tự điều khiển" in response.text
    assert "Xác nhận nhập" in response.text
    preview = QuestionImportPreview.objects.get()
    assert [q["text"] for q in preview.questions] == ["Câu tốt?"]


def test_a_file_over_the_size_limit_is_refused(editor):
    header = ",".join(corpus.QUESTION_HEADER) + "\n"
    body = "một đáp án,Câu hỏi?,A,B,1,Vì.\n"
    content = (header + body * (2 * 1024 * 1024 // len(body.encode()) + 1)).encode()
    assert len(content) > 2 * 1024 * 1024
    _refused(editor, "cau-hoi.csv", content, "Tệp lớn hơn 2 MB.")


def test_a_workbook_whose_sheet_is_not_questions_is_refused(editor):
    """The member-list template uploaded by mistake."""
    content = _xlsx_text(
        [corpus.ACCOUNT_HEADER, ["Nguyễn Văn An", "0912000101"]], title="Danh sách"
    )
    _refused(editor, "danh-sach.xlsx", content, "Tệp thiếu cột:")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cau-hoi.xlsx", "Câu hỏi: ngày nào?\n".encode(), "Không đọc được tệp Excel"),
        ("cau-hoi.txt", csv_bytes([row()]), "Chỉ nhận tệp .xlsx hoặc .csv."),
        ("cau-hoi.csv", _xlsx_text([["x"]]), "Tệp CSV"),
    ],
    ids=["text renamed .xlsx", "csv renamed .txt", "xlsx renamed .csv"],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(
    editor, name, content, message
):
    _refused(editor, name, content, message)


@pytest.mark.parametrize("name", ["cau-hoi.csv", "cau-hoi.xlsx"])
def test_an_empty_file_is_refused(editor, name):
    for dry_run in (True, False):
        response = _post(editor, name, b"", dry_run=dry_run)
        assert response.status_code == 400
        assert "Tệp không có dòng nào." in response.text, response.text[-3000:]
    assert not Question.objects.exists()
