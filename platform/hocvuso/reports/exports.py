"""XLSX and CSV files of a report, written by core.export_writer (write-only
openpyxl, streamed CSV; formula-looking text never goes out live)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook

from hocvuso.core.export_writer import (
    Percent,
    column_width,
    csv_lines,
    xlsx_append,
    xlsx_bytes,
    xlsx_sheet,
    xlsx_workbook,
)

from .figures import WITHOUT_TARGET_PCT, Row, count_columns

PARENT_HEADER = "Đơn vị cấp trên"


def report_headers(
    with_target: bool, *, kind: str = "course", with_parent: bool = False
) -> list[str]:
    out = ["Mã đơn vị", "Đơn vị"]
    if with_parent:
        out.append(PARENT_HEADER)
    out.append("Số học viên được giao / đăng ký")
    if with_target:
        out.append("Chỉ tiêu")
    for key, label in count_columns(kind):
        out += [label, f"{label} (%)"]
        if with_target and key not in WITHOUT_TARGET_PCT:
            out.append(f"{label} (% chỉ tiêu)")
    out += ["Điểm trung bình"] + [
        f"Điểm {10 * b}–{10 * b + 9 if b < 9 else 100}" for b in range(10)
    ]
    return out


def _pct(value: float | None) -> Percent | None:
    return None if value is None else Percent(value)


def report_line(row: Row, with_target: bool, *, with_parent: bool = False) -> list:
    f = row.figures
    out: list = [row.code, row.name]
    if with_parent:
        out.append(row.parent_name)
    out.append(f.in_scope)
    if with_target:
        out.append(row.target)
    for cell in row.cells():
        out += [cell["count"], _pct(cell["pct"])]
        if with_target and cell["key"] not in WITHOUT_TARGET_PCT:
            out.append(_pct(cell["pct_target"]))
    out.append(f.average_score)
    out += list(f.bands)
    return out


def _widths(headers: list[str]) -> list[float]:
    named = {"Mã đơn vị": 12, "Đơn vị": 30, PARENT_HEADER: 26}
    return [named.get(h) or column_width(h) for h in headers]


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


def ascii_slug(value: str) -> str:
    """Vietnamese text as an ASCII file-name part ("Tổ công nghệ số" →
    "to-cong-nghe-so"); đ has no decomposition, so it is mapped first."""
    return slugify(value.replace("đ", "d").replace("Đ", "D"))[:50].strip("-")


def report_file_name(*, unit_code: str, subject, ext: str, at) -> str:
    stamp = timezone.localtime(at).strftime("%Y%m%d-%H%M")
    kind = "chuong-trinh" if subject.kind == "programme" else "khoa-hoc"
    return (
        f"bao-cao-{slugify(unit_code)}-{kind}-{ascii_slug(subject.title)}-{stamp}.{ext}"
    )


def learners_file_name(*, unit_code: str, subject, ext: str) -> str:
    return f"hoc-vien-{slugify(unit_code)}-{ascii_slug(subject.title)}.{ext}"


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
    kind: str = "course",
) -> Workbook:
    """One sheet per level with the filters, the generation time, the rows
    and a totals row; below the first, a column names each unit's parent
    (the commune of a village). Write-only: each sheet goes to a temporary
    file as it is written; `save()` to a path zips them without loading
    them."""
    from .figures import total_row

    wb = xlsx_workbook()
    for i, (level_name, rows) in enumerate(levels):
        with_parent = i > 0
        lines = _header_lines(title, filters, generated_at)
        headers = report_headers(with_target, kind=kind, with_parent=with_parent)
        ws = xlsx_sheet(
            wb, title=level_name, widths=_widths(headers), header_row=len(lines) + 1
        )
        for line in lines:
            xlsx_append(ws, line)
        xlsx_append(ws, headers, bold=True, wrap=True)
        for row in rows:
            xlsx_append(ws, report_line(row, with_target, with_parent=with_parent))
        if len(rows) > 1:
            total = total_row(rows, code="", name="Tổng cộng", target=None)
            targets = [r.target for r in rows if r.target is not None]
            if with_target and targets:
                total.target = sum(targets)
            xlsx_append(
                ws,
                report_line(total, with_target, with_parent=with_parent),
                bold=True,
            )
    return wb


TRAINING_HEADERS = [
    "Mã đơn vị",
    "Đơn vị",
    "Số lớp tập huấn",
    "Được mời",
    "Có mặt (trong số được mời)",
    "Vắng",
    "Không có trong danh sách mời",
]
TRAINING_NOTE = (
    "Lớp tập huấn đã diễn ra trong quý về khóa học / chương trình này (không tính "
    "lớp đã hủy), có người của đơn vị được mời hoặc có mặt; mỗi người tính theo "
    "nơi sinh sống."
)


def training_line(figures: dict) -> list:
    return [
        figures["code"],
        figures["name"],
        figures["classes"],
        figures["invited"],
        figures["present"],
        figures["absent"],
        figures["walk_ins"],
    ]


def training_sheet_add(
    wb: Workbook, *, title: str, generated_at, training: dict
) -> None:
    """The snapshot's training figures as one more sheet: the unit's total
    first, then each unit below it."""
    lines = _header_lines(title, [("Ghi chú", TRAINING_NOTE)], generated_at)
    ws = xlsx_sheet(
        wb,
        title="Lớp tập huấn",
        widths=_widths(TRAINING_HEADERS),
        header_row=len(lines) + 1,
    )
    for line in lines:
        xlsx_append(ws, line)
    xlsx_append(ws, TRAINING_HEADERS, bold=True, wrap=True)
    xlsx_append(ws, training_line(training["total"]), bold=True)
    for row in training["rows"]:
        xlsx_append(ws, training_line(row))


def report_csv(
    *,
    rows: list[Row],
    total: Row,
    filters,
    generated_at,
    with_target: bool,
    kind: str = "course",
) -> Iterator[str]:
    return csv_lines(
        [
            *_header_lines("Báo cáo hoàn thành", filters, generated_at),
            report_headers(with_target, kind=kind),
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
    lines = _header_lines(title, filters, generated_at)
    ws = xlsx_sheet(
        wb,
        title="Học viên",
        widths=[28, 16, 24, 16, 12, 18],
        header_row=len(lines) + 1,
    )
    for line in lines:
        xlsx_append(ws, line)
    xlsx_append(ws, LEARNER_HEADERS, bold=True, wrap=True)
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
