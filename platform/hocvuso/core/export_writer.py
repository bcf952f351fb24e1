"""The one writer of every CSV and XLSX the platform hands out.

Whatever is stored (a name typed before the input rules, a cell an import
refused), an exported text cell is never live: CSV cells that a spreadsheet
would read as a formula get the usual leading apostrophe (OWASP "CSV
injection"), XLSX text is written as a string cell (never a formula) with
Excel's quote prefix, and control characters are dropped because XLSX refuses
them (openpyxl raises) and they mean nothing to a reader.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .text import looks_like_formula

BOM = "\ufeff"  # Excel reads UTF-8 only with a byte-order mark
BOLD = Font(bold=True)

# Control characters except tab and newline, and lone surrogates (which cannot
# be encoded as UTF-8).
_UNEXPORTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def text_exportable(value: str) -> str:
    return _UNEXPORTABLE.sub("", value)


def csv_cell(value):
    if not isinstance(value, str):
        return value
    value = text_exportable(value)
    return "'" + value if looks_like_formula(value) else value


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text, BOM first, one line at a time (for streaming)."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    return "".join(csv_lines(rows)).encode("utf-8")


def xlsx_workbook() -> Workbook:
    """Write-only: rows go to a temporary file as they are appended, so memory
    stays flat however many there are."""
    return Workbook(write_only=True)


def xlsx_cell(ws, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(
        ws, value=text_exportable(value) if isinstance(value, str) else value
    )
    if isinstance(value, str):
        # openpyxl turns a string starting with "=" into a formula.
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True
    if bold:
        cell.font = BOLD
    return cell


def xlsx_append(ws, values: Iterable, *, bold: bool = False) -> None:
    ws.append([xlsx_cell(ws, v, bold=bold) for v in values])


def xlsx_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
