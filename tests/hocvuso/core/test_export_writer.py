"""The one CSV/XLSX writer: no exported text cell is ever live, and no stored
character can make an export fail (issue 15, findings 1 and 2)."""

import csv
import io

from hocvuso.core.export_writer import (
    csv_bytes,
    xlsx_append,
    xlsx_bytes,
    xlsx_workbook,
)
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

FORMULAS = ["=1+2", "+SUM(A1)", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _csv_cells(rows) -> list[str]:
    text = csv_bytes(rows).decode("utf-8-sig")
    return [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]


def test_csv_cells_that_look_like_formulas_get_a_leading_apostrophe():
    cells = _csv_cells([FORMULAS])
    assert cells[:4] == ["'=1+2", "'+SUM(A1)", "'-2+3", "'@SUM(A1)"]
    assert cells[4] == "'\t=1"


def test_signed_numbers_and_plain_text_are_written_as_they_are():
    assert _csv_cells([["+84912345678", "-5", "Nguyễn Văn An", 7]]) == [
        "+84912345678",
        "-5",
        "Nguyễn Văn An",
        "7",
    ]


def _xlsx_cells(rows):
    wb = xlsx_workbook()
    ws = wb.create_sheet("Trang")
    for row in rows:
        xlsx_append(ws, row)
    return [
        c
        for row in load_workbook(io.BytesIO(xlsx_bytes(wb)))["Trang"].iter_rows()
        for c in row
    ]


def test_xlsx_writes_formula_looking_text_as_string_cells():
    cells = _xlsx_cells([FORMULAS[:4]])
    assert [c.value for c in cells] == FORMULAS[:4]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_any_text_can_be_exported_and_none_is_live(row):
    cells = _xlsx_cells([row])
    assert not any(c.data_type == "f" for c in cells)
    for cell in _csv_cells([row]):
        assert not cell.startswith(("=", "@")), cell
