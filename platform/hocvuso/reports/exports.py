"""XLSX and CSV files of a report. openpyxl in write-only mode: rows are
streamed to the file, so memory stays flat however many rows there are
(openpyxl is already a dependency; xlsxwriter would add one for the same)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .figures import COUNT_COLUMNS, Row

BOLD = Font(bold=True)


def report_headers(with_target: bool) -> list[str]:
    out = ["Mã đơn vị", "Đơn vị", "Số học viên được giao / đăng ký"]
    for _key, label in COUNT_COLUMNS:
        out += [label, f"{label} (%)"]
        if with_target:
            out.append(f"{label} (% chỉ tiêu)")
    out += ["Điểm trung bình"] + [
        f"Điểm {10 * b}–{10 * b + 9 if b < 9 else 100}" for b in range(10)
    ]
    if with_target:
        out.insert(3, "Chỉ tiêu")
    return out


def report_line(row: Row, with_target: bool) -> list:
    f = row.figures
    out: list = [row.code, row.name, f.in_scope]
    if with_target:
        out.append(row.target)
    for cell in row.cells():
        out += [cell["count"], cell["pct"]]
        if with_target:
            out.append(cell["pct_target"])
    out.append(f.average_score)
    out += list(f.bands)
    return out


def _header_lines(
    title: str, filters: list[tuple[str, str]], generated_at
) -> list[list]:
    when = timezone.localtime(generated_at).strftime("%d/%m/%Y %H:%M")
    lines = [[title]]
    lines += [[label, value] for label, value in filters]
    lines.append(["Thời điểm lập báo cáo", when])
    lines.append([])
    return lines


def levels_with_target(levels: Iterable[tuple[str, list[Row]]]) -> bool:
    return any(r.target is not None for _n, rows in levels for r in rows)


def report_file_name(*, unit_code: str, subject_kind: str, ext: str, at) -> str:
    stamp = timezone.localtime(at).strftime("%Y%m%d-%H%M")
    return f"bao-cao-{slugify(unit_code)}-{slugify(subject_kind)}-{stamp}.{ext}"


def learners_file_name(*, unit_code: str, ext: str) -> str:
    return f"hoc-vien-{slugify(unit_code)}.{ext}"


def report_xlsx(**kwargs) -> bytes:
    """`report_workbook` as bytes, for an export answered in the request."""
    return _saved(report_workbook(**kwargs))


def report_workbook(
    *,
    title: str,
    filters: list[tuple[str, str]],
    generated_at,
    levels: Iterable[tuple[str, list[Row]]],
    with_target: bool,
) -> Workbook:
    """One sheet per level with the filters, the generation time, the rows
    and a totals row. Write-only: each sheet goes to a temporary file as it
    is written; `save()` to a path zips them without loading them."""
    from .figures import total_row

    wb = Workbook(write_only=True)
    for level_name, rows in levels:
        ws = wb.create_sheet(title=level_name[:31])
        for line in _header_lines(title, filters, generated_at):
            ws.append(line)
        ws.append([_bold(ws, h) for h in report_headers(with_target)])
        for row in rows:
            ws.append(report_line(row, with_target))
        if len(rows) > 1:
            total = total_row(rows, code="", name="Tổng cộng", target=None)
            if with_target and all(r.target is not None for r in rows):
                total.target = sum(r.target for r in rows)
            ws.append([_bold(ws, v) for v in report_line(total, with_target)])
    return wb


def _saved(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _bold(ws, value):
    cell = WriteOnlyCell(ws, value=value)
    cell.font = BOLD
    return cell


class _Echo:
    def write(self, value):
        return value


def report_csv(
    *, rows: list[Row], total: Row, filters, generated_at, with_target: bool
) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel reads UTF-8 only with a BOM
    for line in _header_lines("Báo cáo hoàn thành", filters, generated_at):
        yield writer.writerow(line)
    yield writer.writerow(report_headers(with_target))
    for row in rows:
        yield writer.writerow(report_line(row, with_target))
    yield writer.writerow(report_line(total, with_target))


LEARNER_HEADERS = [
    "Họ và tên",
    "Số điện thoại",
    "Nơi sinh sống",
    "Trạng thái",
    "Điểm cao nhất",
    "Hoạt động gần nhất",
]


def learner_line(row, status_labels) -> list:
    last = (
        timezone.localtime(row.last_activity).strftime("%d/%m/%Y %H:%M")
        if row.last_activity
        else ""
    )
    return [
        row.full_name,
        row.phone,
        row.unit_name,
        status_labels.get(row.status, row.status),
        row.best_score,
        last,
    ]


def learners_xlsx(**kwargs) -> bytes:
    return _saved(learners_workbook(**kwargs))


def learners_workbook(
    *, title, filters, generated_at, rows: Iterable, status_labels
) -> Workbook:
    """`rows` may be a generator: they are written one at a time."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="Học viên")
    for line in _header_lines(title, filters, generated_at):
        ws.append(line)
    ws.append([_bold(ws, h) for h in LEARNER_HEADERS])
    for row in rows:
        ws.append(learner_line(row, status_labels))
    return wb


def learners_csv(*, filters, generated_at, rows, status_labels) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for line in _header_lines("Danh sách học viên", filters, generated_at):
        yield writer.writerow(line)
    yield writer.writerow(LEARNER_HEADERS)
    for row in rows:
        yield writer.writerow(learner_line(row, status_labels))
