"""Reading the uploaded CSV or XLSX into rows of text, and writing the
template and the failed rows (no Django)."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font

from hocvuso.core.spreadsheet import spreadsheet_rows

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
    return spreadsheet_rows(
        file, name=filename, max_rows=MAX_ROWS, cell=_text, header_check=header_map
    )


def headers() -> list[str]:
    return [label for _key, label in COLUMNS]


def template_xlsx(guide: Sequence[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (28, 16, 10, 10, 20, 24, 12), strict=True):
        sheet.column_dimensions[letter].width = width
        # Text columns keep the leading zero of phone numbers and codes.
        sheet.column_dimensions[letter].number_format = "@"
    notes = book.create_sheet("Hướng dẫn")
    for line in guide:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows the diacritics."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
