"""The one writer of every CSV and XLSX the platform hands out.

Whatever is stored (a name typed before the input rules, a cell an import
refused), an exported text cell is never live: CSV cells that a spreadsheet
would read as a formula get the usual leading apostrophe (OWASP "CSV
injection"), XLSX text is written as a string cell (never a formula) with
Excel's quote prefix, and control characters are dropped because XLSX refuses
them (openpyxl raises) and they mean nothing to a reader.

Files are made for a Vietnamese office: a CSV separates cells with ";" and
writes decimals with "," (Excel set to Vietnamese reads "," as the decimal
mark and would otherwise open the file as one column); an XLSX sheet has
column widths, percentages in percent format, and prints landscape, one
page wide, with its header row repeated on every page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .text import looks_like_formula

BOM = "\ufeff"  # Excel reads UTF-8 only with a byte-order mark
BOLD = Font(bold=True)
CSV_DELIMITER = ";"
PERCENT_FORMAT = "0.0%"
DECIMAL_FORMAT = "0.0"
_WRAP = Alignment(wrap_text=True, vertical="top")


class Percent(float):
    """A percentage (75.0 is 75 %): a percent-formatted number in XLSX,
    "75,0" in CSV."""


# Control characters except tab and newline, and lone surrogates (which cannot
# be encoded as UTF-8).
_UNEXPORTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def text_exportable(value: str) -> str:
    return _UNEXPORTABLE.sub("", value)


def csv_cell(value):
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if not isinstance(value, str):
        return value
    value = text_exportable(value)
    return "'" + value if looks_like_formula(value) else value


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text, BOM first, one line at a time (for streaming)."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield BOM
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    return "".join(csv_lines(rows)).encode("utf-8")


def xlsx_workbook() -> Workbook:
    """Write-only: rows go to a temporary file as they are appended, so memory
    stays flat however many there are."""
    return Workbook(write_only=True)


def xlsx_sheet(
    wb: Workbook, *, title: str, widths: Sequence[float], header_row: int = 0
):
    """A write-only sheet set up before its first row is written: column
    widths, landscape, fitted to one page wide, and rows 1 to `header_row`
    (the title, filters and column headers) repeated on every printed page."""
    ws = wb.create_sheet(title=title[:31])
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        ws.print_title_rows = f"1:{header_row}"
    return ws


def column_width(label: str, *, least: float = 9, most: float = 22) -> float:
    """A width (in characters) for a column headed `label`: its longest word
    fits, the rest wraps on two or three lines."""
    longest = max((len(w) for w in label.split()), default=0)
    return max(least, min(most, max(longest + 2, len(label) / 2.5 + 2)))


def xlsx_cell(ws, value, *, bold: bool = False, wrap: bool = False) -> WriteOnlyCell:
    if isinstance(value, Percent):
        cell = WriteOnlyCell(ws, value=float(value) / 100)
        cell.number_format = PERCENT_FORMAT
        return cell
    cell = WriteOnlyCell(
        ws, value=text_exportable(value) if isinstance(value, str) else value
    )
    if isinstance(value, float):
        cell.number_format = DECIMAL_FORMAT
    if wrap:
        cell.alignment = _WRAP
    if isinstance(value, str):
        # openpyxl turns a string starting with "=" into a formula.
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True
    if bold:
        cell.font = BOLD
    return cell


def xlsx_append(
    ws, values: Iterable, *, bold: bool = False, wrap: bool = False
) -> None:
    ws.append([xlsx_cell(ws, v, bold=bold, wrap=wrap) for v in values])


def xlsx_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
