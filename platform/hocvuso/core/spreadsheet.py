"""Reading an uploaded CSV or XLSX without trusting it (no Django models).

An .xlsx is a zip: its unpacked size is read from the zip directory and
checked before anything is parsed (zipfile never inflates an entry past its
declared size, so the check holds for a lying file too). Rows are streamed and
reading stops one row past the limit, so a file costs at most what the limit
allows, whatever it claims."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

# Far above what the largest allowed import unpacks to (20,000 rows of seven
# columns is about 10 MB of sheet XML), far below what hurts the server.
MAX_UNPACKED_MB = 40
# Wider rows are cut: no import has more columns, and a sheet that claims
# 16,384 columns must not make every row that wide.
MAX_COLUMNS = 64
# Longer CSV lines are refused before the csv module builds a row from them.
MAX_LINE_CHARS = 64 * 1024

ERRORS = {
    "file_type": _("Chỉ nhận tệp .xlsx hoặc .csv."),
    "csv_encoding": _("Tệp CSV phải được lưu theo mã UTF-8 (trong Excel: CSV UTF-8)."),
    "csv_unreadable": _(
        "Không đọc được tệp CSV: có dòng dài bất thường; hãy lưu lại từ Excel."
    ),
    "xlsx_unreadable": _("Không đọc được tệp Excel; hãy lưu lại dưới dạng .xlsx."),
    "unpacked_too_large": _(
        "Tệp Excel khi giải nén lớn quá %(max)s MB; hãy chia thành nhiều tệp."
    ),
    "empty": _("Tệp không có dòng nào."),
    "header_only": _("Tệp chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào."),
    "too_many_rows": _("Tệp có quá %(max)s dòng; hãy chia thành nhiều tệp."),
}


class SpreadsheetError(ValueError):
    """The file as a whole cannot be imported; str() is the Vietnamese reason."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        return str(ERRORS[self.code]) % self.params


def _csv_lines(file: IO[bytes]) -> Iterator[str]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        while line := text.readline(MAX_LINE_CHARS + 1):
            if len(line) > MAX_LINE_CHARS:
                raise SpreadsheetError("csv_unreadable")
            yield line
    except UnicodeDecodeError as exc:
        raise SpreadsheetError("csv_encoding") from exc
    finally:
        text.detach()  # the caller's file stays open


def _csv_rows(file: IO[bytes]) -> Iterator[Sequence[object]]:
    head = file.read(4096).decode("utf-8", errors="ignore")
    file.seek(0)
    delimiter = ";" if head.count(";") > head.count(",") else ","
    try:
        for row in csv.reader(_csv_lines(file), delimiter=delimiter):
            yield row[:MAX_COLUMNS]
    except csv.Error as exc:
        raise SpreadsheetError("csv_unreadable") from exc


def _xlsx_rows(file: IO[bytes]) -> Iterator[Sequence[object]]:
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SpreadsheetError("xlsx_unreadable") from exc
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        raise SpreadsheetError("unpacked_too_large", max=MAX_UNPACKED_MB)
    file.seek(0)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            # The stored dimension is the file's claim; rows are read as they are.
            sheet.reset_dimensions()
            yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        finally:
            book.close()
    except SpreadsheetError:
        raise
    # openpyxl raises many kinds for a broken workbook.
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError) as exc:
        raise SpreadsheetError("xlsx_unreadable") from exc
    except (OSError, ValueError, TypeError, AttributeError, SyntaxError) as exc:
        raise SpreadsheetError("xlsx_unreadable") from exc


def spreadsheet_rows(
    file: IO[bytes],
    *,
    name: str,
    max_rows: int,
    cell: Callable[[object], str],
    header_check: Callable[[list[str]], None],
) -> list[list[str]]:
    """The header and at most `max_rows` rows, each cell through `cell`.

    `header_check` raises its own error for a wrong header, before a file
    with no data rows is refused: a wrong header is the better message."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        source = _csv_rows(file)
    elif lowered.endswith(".xlsx"):
        source = _xlsx_rows(file)
    else:
        raise SpreadsheetError("file_type")
    rows: list[list[str]] = []
    # Blank rows count only when a filled row follows them (Excel leaves
    # thousands of formatted empty rows at the end); the few that can still
    # count are kept, so row numbers stay those of the spreadsheet.
    blanks: list[list[str]] = []
    blank_count = 0
    try:
        for raw in source:
            row = [cell(value) for value in raw]
            if not any(c.strip() for c in row):
                blank_count += 1
                if len(rows) + blank_count <= max_rows + 1:
                    blanks.append(row)
                continue
            if len(rows) + blank_count + 1 > max_rows + 1:
                raise SpreadsheetError("too_many_rows", max=max_rows)
            rows += blanks
            rows.append(row)
            blanks, blank_count = [], 0
    finally:
        source.close()
    if not rows:
        raise SpreadsheetError("empty")
    header_check(rows[0])
    if len(rows) == 1:
        raise SpreadsheetError("header_only")
    return rows
