"""Questions from a spreadsheet (CSV or XLSX): read, check every row, and say
what is wrong with each in Vietnamese. Nothing here touches the database;
quizzes.services.questions_import writes."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from hocvuso.core.export_writer import (
    csv_bytes,
    xlsx_append,
    xlsx_bytes,
    xlsx_cell,
    xlsx_workbook,
)
from hocvuso.core.spreadsheet import SpreadsheetError, spreadsheet_rows
from hocvuso.core.text import looks_like_formula, text_clean
from openpyxl.utils import get_column_letter

from .engine.scoring import Kind

COLUMNS = [
    "loại",
    "câu hỏi",
    "đáp án 1",
    "đáp án 2",
    "đáp án 3",
    "đáp án 4",
    "đáp án 5",
    "đáp án 6",
    "đáp án đúng",
    "giải thích",
    "nhãn",
    "độ khó",
    "chấm từng phần",
    "nguồn",
]
REQUIRED = ["loại", "câu hỏi", "đáp án đúng", "giải thích"]
# A course's bank holds tens of questions; thousands is a mistake or an attack.
MAX_ROWS = 5_000
KINDS = {
    "một đáp án": Kind.SINGLE,
    "nhiều đáp án": Kind.MULTIPLE,
    "đúng sai": Kind.TRUE_FALSE,
}
DIFFICULTIES = {"": "", "dễ": "easy", "trung bình": "medium", "khó": "hard"}
YES = {"có", "x", "1", "yes"}
# Free-text columns: (column, label, longest, may hold line breaks). A question
# is read on a phone; the other limits are the model fields'.
TEXT_COLUMNS = [
    ("câu hỏi", "Câu hỏi", 1000, True),
    *((f"đáp án {i}", f"Đáp án {i}", 500, False) for i in range(1, 7)),
    ("giải thích", "Giải thích", 2000, True),
    ("nhãn", "Nhãn", 200, False),
    ("nguồn", "Nguồn", 500, False),
]
EXAMPLE = [
    "một đáp án",
    "Ngày Chuyển đổi số quốc gia là ngày nào?",
    "1/1",
    "10/10",
    "2/9",
    "26/3",
    "",
    "",
    "2",
    "QĐ 505/QĐ-TTg ngày 22/4/2022 lấy ngày 10/10 hằng năm.",
    "chuyen-doi-so",
    "dễ",
    "",
    "",
]


class SheetError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class ParsedQuestion:
    kind: str
    text: str
    choices: list[tuple[str, bool]]
    explanation: str
    tags: str
    difficulty: str
    partial_credit: bool
    source_url: str


@dataclass
class RowOutcome:
    number: int  # the row number a person sees in the spreadsheet
    question: ParsedQuestion | None = None
    errors: list[str] = field(default_factory=list)


class _DateCell(str):
    """A cell the spreadsheet holds as a date or time: Excel turns an answer
    like "1/1" or "10/10" typed in a General column into 1 January, which was
    imported as "2026-01-01 00:00:00" (issue 24, item 12). Which of "1/1",
    "01/01" or "1-1" the author typed cannot be known, so the row is refused."""


def _cell(value: object) -> str:
    if isinstance(value, (datetime, date, time)):
        return _DateCell(value.isoformat())
    return "" if value is None else str(value).strip()


def _header_check(header: list[str]) -> None:
    present = {h.lower() for h in header}
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise SheetError(_("Tệp thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})


def sheet_rows(*, name: str, file: IO[bytes]) -> list[dict[str, str]]:
    """Rows as {column: text}, from a .csv (UTF-8) or .xlsx file."""
    try:
        values = spreadsheet_rows(
            file, name=name, max_rows=MAX_ROWS, cell=_cell, header_check=_header_check
        )
    except SpreadsheetError as error:
        raise SheetError(str(error)) from error
    header = [h.lower() for h in values[0]]
    return [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]


def _answer_numbers(raw: str) -> list[int] | None:
    try:
        return sorted(
            {int(part) for part in raw.replace(";", ",").split(",") if part.strip()}
        )
    except ValueError:
        return None


def _texts_clean(row: dict[str, str], errors: list[str]) -> dict[str, str]:
    """The row with its free-text cells through core.text; each refused cell
    adds its message."""
    row = dict(row)
    for column, label, longest, multiline in TEXT_COLUMNS:
        try:
            row[column] = text_clean(
                row.get(column, ""),
                field=label,
                max_length=longest,
                multiline=multiline,
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    return row


def row_parse(row: dict[str, str], number: int) -> RowOutcome:
    outcome = RowOutcome(number=number)
    errors = outcome.errors
    dated = [column for column, value in row.items() if isinstance(value, _DateCell)]
    if dated:
        errors.append(
            _(
                "Ô ở cột %(columns)s là ngày tháng: Excel tự đổi “1/1” hay “10/10” "
                "thành ngày. Hãy định dạng cột là Văn bản (Text) rồi gõ lại."
            )
            % {"columns": ", ".join(f"“{column}”" for column in dated)}
        )
        return outcome
    row = _texts_clean(row, errors)
    formulas = [
        column
        for column, _label, _longest, _multiline in TEXT_COLUMNS
        if looks_like_formula(row.get(column, ""))
    ]
    if formulas:
        # A cell such as "=HYPERLINK(...)" or "@SUM(...)" would run as a
        # formula in the spreadsheet of whoever exports the bank later.
        errors.append(
            _(
                "Ô ở cột %(columns)s bắt đầu bằng “=”, “+”, “-” hoặc “@” nên bảng "
                "tính sẽ coi là công thức. Hãy bỏ ký tự đó hoặc viết chữ trước nó."
            )
            % {"columns": ", ".join(f"“{column}”" for column in formulas)}
        )
    if errors:
        # The other checks would misread a refused cell (a "missing" answer).
        return outcome
    kind = KINDS.get(row.get("loại", "").strip().lower())
    if kind is None:
        errors.append(_("Cột “loại” phải là: một đáp án, nhiều đáp án hoặc đúng sai."))
    text = row.get("câu hỏi", "").strip()
    if not text:
        errors.append(_("Thiếu nội dung câu hỏi."))
    explanation = row.get("giải thích", "").strip()
    if not explanation:
        errors.append(_("Thiếu lời giải thích cho đáp án."))
    options = [row.get(f"đáp án {i}", "").strip() for i in range(1, 7)]
    if kind == Kind.TRUE_FALSE and not any(options):
        options = ["Đúng", "Sai"]
    present = [(i + 1, t) for i, t in enumerate(options) if t]
    if len(present) < 2:
        errors.append(_("Cần ít nhất 2 đáp án."))
    if len({t.lower() for _, t in present}) != len(present):
        errors.append(_("Có hai đáp án giống nhau."))
    right = _answer_numbers(row.get("đáp án đúng", ""))
    if not right:
        errors.append(
            _("Cột “đáp án đúng” phải là số thứ tự đáp án, ví dụ 2 hoặc 1,3.")
        )
    else:
        numbers = {i for i, _ in present}
        if not set(right) <= numbers:
            errors.append(_("Đáp án đúng trỏ tới một đáp án bỏ trống."))
        if kind in (Kind.SINGLE, Kind.TRUE_FALSE) and len(right) != 1:
            errors.append(
                _("Loại “một đáp án” và “đúng sai” phải có đúng 1 đáp án đúng.")
            )
        if kind == Kind.MULTIPLE and len(right) < 2:
            errors.append(_("Loại “nhiều đáp án” cần ít nhất 2 đáp án đúng."))
    difficulty = DIFFICULTIES.get(row.get("độ khó", "").strip().lower())
    if difficulty is None:
        errors.append(_("Cột “độ khó” phải là: dễ, trung bình, khó (hoặc bỏ trống)."))
    source = row.get("nguồn", "").strip()
    if source and not source.startswith(("http://", "https://")):
        errors.append(
            _("Nguồn phải là một đường dẫn bắt đầu bằng http:// hoặc https://.")
        )
    if not errors:
        outcome.question = ParsedQuestion(
            kind=kind,
            text=text,
            explanation=explanation,
            difficulty=difficulty,
            choices=[(t, i in right) for i, t in present],
            tags=row.get("nhãn", "").strip(),
            partial_credit=row.get("chấm từng phần", "").strip().lower() in YES,
            source_url=source,
        )
    return outcome


def rows_parse(rows: list[dict[str, str]]) -> list[RowOutcome]:
    outcomes = [row_parse(row, number) for number, row in enumerate(rows, start=2)]
    seen: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.question:
            key = outcome.question.text.lower()
            if key in seen:
                outcome.errors.append(
                    _("Trùng câu hỏi ở dòng %(n)d.") % {"n": seen[key]}
                )
                outcome.question = None
            else:
                seen[key] = outcome.number
    return outcomes


def template_csv() -> bytes:
    return csv_bytes([COLUMNS, EXAMPLE])


# Wide enough to read the header and the example in each column.
TEMPLATE_WIDTHS = {"câu hỏi": 48, "giải thích": 48, "nguồn": 30}
TEXT = "@"


def template_xlsx() -> bytes:
    """The CSV template as a workbook whose every column is formatted as Text:
    Excel then keeps an answer typed as "1/1" or "10/10" (or a key "1,3") as
    typed instead of turning it into a date or a number (issue 24, item 12)."""
    book = xlsx_workbook()
    sheet = book.create_sheet("Câu hỏi")
    for index, column in enumerate(COLUMNS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = TEMPLATE_WIDTHS.get(column, 14)
        dimension.number_format = TEXT
    xlsx_append(sheet, COLUMNS, bold=True)
    example = [xlsx_cell(sheet, value) for value in EXAMPLE]
    for cell in example:
        cell.number_format = TEXT
    sheet.append(example)
    return xlsx_bytes(book)
