"""The class report as XLSX, through the one writer (core.export_writer)."""

from django.utils import timezone

from hocvuso.core.export_writer import (
    column_width,
    xlsx_append,
    xlsx_bytes,
    xlsx_sheet,
    xlsx_workbook,
)
from hocvuso.reports.exports import ascii_slug

from .models import TrainingClass
from .selectors import ClassReport, ReportRow


def report_headers(days: int) -> list[str]:
    return [
        "Mã đơn vị",
        "Đơn vị",
        "Được mời",
        "Có mặt (trong số được mời)",
        "Vắng",
        "Đến muộn",
        "Không có trong danh sách mời",
        f"Hoàn thành khóa học trong {days} ngày sau lớp",
    ]


def report_line(row: ReportRow) -> list:
    return [
        row.code,
        row.name,
        row.invited,
        row.present,
        row.absent,
        row.late,
        row.walk_ins,
        row.finished,
    ]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def class_report_xlsx(*, training_class: TrainingClass, report: ClassReport) -> bytes:
    subject = training_class.course or training_class.programme
    lines = [
        [f"Báo cáo lớp tập huấn — {training_class.title}"],
        ["Khóa học / chương trình", subject.title],
        ["Hình thức", training_class.get_kind_display()],
        [
            "Thời gian",
            f"{_when(training_class.starts_at)} – {_when(training_class.ends_at)}",
        ],
        ["Giảng viên", training_class.trainer],
        ["Hoàn thành tính đến", _when(report.finished_by)],
        ["Thời điểm lập báo cáo", _when(timezone.now())],
        [],
    ]
    headers = report_headers(report.days)
    wb = xlsx_workbook()
    ws = xlsx_sheet(
        wb,
        title="Báo cáo lớp",
        widths=[12, 30, *(column_width(h) for h in headers[2:])],
        header_row=len(lines) + 1,
    )
    for line in lines:
        xlsx_append(ws, line)
    xlsx_append(ws, headers, bold=True, wrap=True)
    for row in report.rows:
        xlsx_append(ws, report_line(row))
    xlsx_append(ws, report_line(report.total), bold=True)
    return xlsx_bytes(wb)


def class_report_file_name(training_class: TrainingClass) -> str:
    day = timezone.localtime(training_class.starts_at).strftime("%Y%m%d")
    slug = ascii_slug(training_class.title) or "lop"
    return f"bao-cao-lop-{training_class.pk}-{slug}-{day}.xlsx"
