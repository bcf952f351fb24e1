"""Reading the uploaded CSV or XLSX into rows of text, and writing the
template and the failed rows (no Django)."""

from collections.abc import Iterable, Sequence
from typing import IO

from hocvuso.core.export_writer import csv_bytes as export_csv_bytes
from hocvuso.core.export_writer import xlsx_append, xlsx_bytes, xlsx_workbook
from hocvuso.core.spreadsheet import spreadsheet_rows
from hocvuso.core.text import control_marked

from .import_rows import COLUMNS, header_map

MAX_ROWS = 20_000
MAX_UPLOAD_MB = 10


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 100_000_000 <= value <= 999_999_999:
        # A phone number typed into a number cell lost its leading zero.
        return f"0{value}"
    return str(value)


def read_table(file: IO[bytes], filename: str) -> list[list[str]]:
    """All rows, header first; raises SpreadsheetError for a file that cannot
    be imported and HeaderError for a wrong header."""
    rows = spreadsheet_rows(
        file, name=filename, max_rows=MAX_ROWS, cell=_text, header_check=header_map
    )
    # The rows are stored as jsonb until the run, and jsonb refuses NUL: each
    # control character becomes a mark the row validation refuses (line
    # breaks and tabs are spacing, folded by the validation).
    return [
        [control_marked(str(c).replace("\r", "\n"), multiline=True) for c in row]
        for row in rows
    ]


def headers() -> list[str]:
    return [label for _key, label in COLUMNS]


def template_xlsx(guide: Sequence[str]) -> bytes:
    book = xlsx_workbook()
    sheet = book.create_sheet("Danh sách")
    for letter, width in zip("ABCDEFG", (28, 16, 10, 10, 20, 24, 12), strict=True):
        sheet.column_dimensions[letter].width = width
        # Text columns keep the leading zero of phone numbers and codes.
        sheet.column_dimensions[letter].number_format = "@"
    xlsx_append(sheet, headers(), bold=True)
    notes = book.create_sheet("Hướng dẫn")
    notes.column_dimensions["A"].width = 110
    for line in guide:
        xlsx_append(notes, [line])
    return xlsx_bytes(book)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Through the one export writer: a refused row goes back to the admin
    with its formula-looking cells neutralised."""
    return export_csv_bytes([header, *rows])
