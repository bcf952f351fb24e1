"""Issue 15, findings 1 and 8: the question import checks every field's
length and refuses control characters, in the preview as in the real run, and
nothing is written for a refused row."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.models import CoursePage
from quizzes.models import Question
from quizzes.question_import import COLUMNS, row_parse
from tests.hocvuso.text_strategies import control_characters
from tests.quizzes.test_question_import import csv_bytes, row, upload

pytestmark = pytest.mark.django_db

CASES = [
    (row(câu_hỏi="C" * 20_000), "Câu hỏi dài"),
    (row(câu_hỏi="Câu dài?", đáp_án_1="A" * 600), "Đáp án 1 dài"),
    (row(câu_hỏi="Câu nhãn?", nhãn="n" * 300), "Nhãn dài"),
    (row(câu_hỏi="Câu giải thích?", giải_thích="G" * 20_000), "Giải thích dài"),
    (
        row(câu_hỏi="Câu nguồn?", nguồn="https://x.example/" + "a" * 600),
        "Nguồn dài",
    ),
    (row(câu_hỏi="Câu\x00 NUL?"), "ký tự điều khiển"),
    (row(câu_hỏi="Câu NUL ở đáp án?", đáp_án_2="B\x00"), "ký tự điều khiển"),
]


@pytest.fixture
def editor(client, make_learner):
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(("cells", "message"), CASES)
def test_question_import_refuses_over_long_or_control_text(
    editor, build_catalog, cells, message
):
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    content = csv_bytes([cells])
    preview = upload(editor, course, "cau-hoi.csv", content, dry_run=True)
    assert preview.status_code == 200
    assert message in preview.content.decode()
    real = upload(editor, course, "cau-hoi.csv", content, dry_run=False)
    assert real.status_code == 200
    assert not Question.objects.exists()


@given(
    st.sampled_from(["câu hỏi", "đáp án 1", "đáp án 2", "giải thích", "nhãn"]),
    control_characters().filter(lambda c: c not in "\t\n"),
)
def test_question_rows_never_accept_a_control_character(column, char):
    cells = dict(zip(COLUMNS, row(), strict=True))
    cells[column] = f"Nội{char}dung"
    assert row_parse(cells, 2).question is None
