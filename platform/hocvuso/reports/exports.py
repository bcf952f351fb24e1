"""XLSX and CSV files of a report, written by core.export_writer (write-only
openpyxl, streamed CSV; formula-looking text never goes out live)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook

from hocvuso.core.export_writer import (
    csv_lines,
    xlsx_append,
    xlsx_bytes,
    xlsx_workbook,
)

from .figures import COUNT_COLUMNS, Row


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
    return xlsx_bytes(report_workbook(**kwargs))


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

    wb = xlsx_workbook()
    for level_name, rows in levels:
        ws = wb.create_sheet(title=level_name[:31])
        for line in _header_lines(title, filters, generated_at):
            xlsx_append(ws, line)
        xlsx_append(ws, report_headers(with_target), bold=True)
        for row in rows:
            xlsx_append(ws, report_line(row, with_target))
        if len(rows) > 1:
            total = total_row(rows, code="", name="Tổng cộng", target=None)
            if with_target and all(r.target is not None for r in rows):
                total.target = sum(r.target for r in rows)
            xlsx_append(ws, report_line(total, with_target), bold=True)
    return wb


def report_csv(
    *, rows: list[Row], total: Row, filters, generated_at, with_target: bool
) -> Iterator[str]:
    return csv_lines(
        [
            *_header_lines("Báo cáo hoàn thành", filters, generated_at),
            report_headers(with_target),
            *(report_line(row, with_target) for row in rows),
            report_line(total, with_target),
        ]
    )


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
    return xlsx_bytes(learners_workbook(**kwargs))


def learners_workbook(
    *, title, filters, generated_at, rows: Iterable, status_labels
) -> Workbook:
    """`rows` may be a generator: they are written one at a time."""
    wb = xlsx_workbook()
    ws = wb.create_sheet(title="Học viên")
    for line in _header_lines(title, filters, generated_at):
        xlsx_append(ws, line)
    xlsx_append(ws, LEARNER_HEADERS, bold=True)
    for row in rows:
        xlsx_append(ws, learner_line(row, status_labels))
    return wb


def learners_csv(*, filters, generated_at, rows, status_labels) -> Iterator[str]:
    def lines():
        yield from _header_lines("Danh sách học viên", filters, generated_at)
        yield LEARNER_HEADERS
        for row in rows:
            yield learner_line(row, status_labels)

    return csv_lines(lines())
