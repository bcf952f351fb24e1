import csv
import io
import re

import pytest
from openpyxl import Workbook

from courses.models import CoursePage
from quizzes.models import Question
from quizzes.question_import import COLUMNS

pytestmark = pytest.mark.django_db


def row(**cells: str) -> list[str]:
    """A spreadsheet row: a valid single-choice question, changed by `cells`
    (keys are the Vietnamese column names with spaces as underscores)."""
    values = {
        "loại": "một đáp án",
        "câu hỏi": "Câu hỏi?",
        "đáp án 1": "A",
        "đáp án 2": "B",
        "đáp án đúng": "1",
        "giải thích": "Vì.",
    }
    values.update({key.replace("_", " "): value for key, value in cells.items()})
    return [values.get(column, "") for column in COLUMNS]


GOOD = [
    row(
        câu_hỏi="Ngày Chuyển đổi số quốc gia là ngày nào?",
        đáp_án_1="1/1",
        đáp_án_2="10/10",
        đáp_án_3="2/9",
        đáp_án_đúng="2",
        giải_thích="QĐ 505/QĐ-TTg chọn ngày 10/10.",
        nhãn="cds",
        độ_khó="dễ",
    ),
    row(
        loại="nhiều đáp án",
        câu_hỏi="Dấu hiệu của website giả?",
        đáp_án_1="Tên miền lạ",
        đáp_án_2="Có https",
        đáp_án_3="Sai một chữ",
        đáp_án_đúng="1,3",
        giải_thích="Tên miền lạ hoặc sai chữ là dấu hiệu lừa đảo.",
        độ_khó="trung bình",
        chấm_từng_phần="có",
        nguồn="https://vietbao.vn/canh-giac-truoc-nhung-website-gia-mao-571356.html",
    ),
    row(
        loại="đúng sai",
        câu_hỏi="Công an hướng dẫn kích hoạt VNeID qua điện thoại.",
        đáp_án_1="",
        đáp_án_2="",
        đáp_án_đúng="2",
        giải_thích="Công an không hướng dẫn kích hoạt qua điện thoại.",
    ),
]
BAD = [
    (row(loại="tự luận", câu_hỏi="Câu 1?"), "Cột “loại” phải là"),
    (row(câu_hỏi=""), "Thiếu nội dung câu hỏi."),
    (row(câu_hỏi="Câu 3?", giải_thích=""), "Thiếu lời giải thích"),
    (row(câu_hỏi="Câu 4?", đáp_án_2=""), "Cần ít nhất 2 đáp án."),
    (row(câu_hỏi="Câu 5?", đáp_án_đúng="3"), "trỏ tới một đáp án bỏ trống"),
    (row(câu_hỏi="Câu 6?", đáp_án_đúng="1,2"), "phải có đúng 1 đáp án đúng"),
    (
        row(loại="nhiều đáp án", câu_hỏi="Câu 7?", đáp_án_3="C"),
        "cần ít nhất 2 đáp án đúng",
    ),
    (row(câu_hỏi="Câu 8?", đáp_án_đúng="hai"), "phải là số thứ tự đáp án"),
    (row(câu_hỏi="Câu 9?", đáp_án_2="a"), "Có hai đáp án giống nhau."),
    (row(câu_hỏi="Câu 10?", độ_khó="rất khó"), "Cột “độ khó”"),
    (row(câu_hỏi="Câu 11?", nguồn="vietbao.vn"), "Nguồn phải là một đường dẫn"),
    (GOOD[0], "Trùng câu hỏi ở dòng 2."),
]


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(client, course, name, content, *, dry_run):
    data = {"course": course.pk, "file": io.BytesIO(content)}
    data["file"].name = name
    if dry_run:
        data["dry_run"] = "on"
    return client.post("/cms/cau-hoi/nhap/", data)


@pytest.fixture
def editor(client, make_learner):
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    return client


def test_dry_run_then_import_then_nothing_changes(editor, build_catalog):
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    content = csv_bytes(GOOD + [row for row, _ in BAD])
    page = upload(editor, course, "cau-hoi.csv", content, dry_run=True).content.decode()
    for _row, message in BAD:
        assert message in page, message
    assert "Sẽ thêm mới: 3 · Đã có sẵn: 0" in page
    assert not Question.objects.exists()

    upload(editor, course, "cau-hoi.csv", content, dry_run=False)
    assert Question.objects.count() == 3
    multiple = Question.objects.get(kind="multiple")
    assert multiple.partial_credit
    assert [c.correct for c in multiple.choices.order_by("sort_order")] == [
        True,
        False,
        True,
    ]
    true_false = Question.objects.get(kind="true_false")
    assert [(c.text, c.correct) for c in true_false.choices.order_by("sort_order")] == [
        ("Đúng", False),
        ("Sai", True),
    ]

    upload(editor, course, "cau-hoi.csv", content, dry_run=False)
    assert Question.objects.count() == 3


def test_xlsx_is_read_like_csv(editor, build_catalog):
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    book = Workbook()
    book.active.append(COLUMNS)
    for row in GOOD:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    upload(editor, course, "cau-hoi.xlsx", buffer.getvalue(), dry_run=False)
    assert Question.objects.count() == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cau-hoi.txt", b"x", "Chỉ nhận tệp .xlsx hoặc .csv."),
        ("cau-hoi.xlsx", b"not a zip", "Không đọc được tệp Excel"),
        (
            "cau-hoi.csv",
            "loại,câu hỏi\n".encode(),
            "Tệp thiếu cột: đáp án đúng, giải thích.",
        ),
        ("cau-hoi.csv", "câu hỏi".encode("utf-16"), "UTF-8"),
    ],
)
def test_unreadable_files_are_refused_whole(
    editor, build_catalog, name, content, message
):
    build_catalog(courses=1, lessons=1)
    page = upload(editor, CoursePage.objects.get(), name, content, dry_run=False)
    assert message in page.content.decode()
    assert not Question.objects.exists()


def test_template_download_has_vietnamese_headers(editor):
    response = editor.get("/cms/cau-hoi/mau.csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("loại;câu hỏi;đáp án 1")


def test_learners_cannot_import(client, learner, build_catalog):
    client.force_login(learner)
    response = client.get("/cms/cau-hoi/nhap/")
    assert response.status_code in (302, 403)


def test_xlsx_answers_excel_turned_into_dates_are_refused_naming_the_row(
    editor, build_catalog
):
    """ "1/1" typed in a General column is stored by Excel as 1 January; it was
    imported and shown to learners as "2026-01-01 00:00:00" (issue 24, item 12).
    The same answer kept as text is imported as typed."""
    from datetime import datetime

    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    book = Workbook()
    book.active.append(COLUMNS)
    book.active.append(
        row(câu_hỏi="Phân số nào bằng 1?", đáp_án_1="1/1", đáp_án_2="1/2")
    )
    dated = row(câu_hỏi="Điểm tối đa?", đáp_án_2="5/10")
    dated[COLUMNS.index("đáp án 1")] = datetime(2026, 10, 10)
    book.active.append(dated)
    buffer = io.BytesIO()
    book.save(buffer)

    page = upload(editor, course, "cau-hoi.xlsx", buffer.getvalue(), dry_run=True).text
    # Row 3 of the sheet (row 1 holds the headers).
    assert re.search(
        r"<td>3</td>\s*<td>—</td>\s*<td>.*?Ô ở cột “đáp án 1” là ngày", page, re.S
    )
    assert "2026-10-10" not in page

    upload(editor, course, "cau-hoi.xlsx", buffer.getvalue(), dry_run=False)
    question = Question.objects.get()
    assert [c.text for c in question.choices.order_by("sort_order")] == ["1/1", "1/2"]
