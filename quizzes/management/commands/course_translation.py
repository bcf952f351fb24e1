"""A translator's round trip for one course (docs/translations.md):

manage.py course_translation export COURSE_ID LANGUAGE > khoa-hoc.en.po
manage.py course_translation import COURSE_ID LANGUAGE khoa-hoc.en.po [--reviewed]
manage.py course_translation stale COURSE_ID LANGUAGE
"""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from courses.models import CoursePage
from courses.translation import content_languages

from ...translation_po import (
    PO_MAX_BYTES,
    course_po_export,
    course_po_import,
    stale_segments,
)


class Command(BaseCommand):
    help = "Xuất, nhập bản dịch PO của một khóa học; liệt kê đoạn dịch đã cũ."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import", "stale"])
        parser.add_argument("course_id", type=int)
        parser.add_argument("language")
        parser.add_argument("file", nargs="?")
        parser.add_argument(
            "--reviewed",
            action="store_true",
            help="Bản dịch đã được người dịch kiểm tra (bỏ nhãn “Bản dịch mẫu”).",
        )

    def handle(self, *args, action, course_id, language, file, reviewed, **options):
        course = CoursePage.objects.filter(pk=course_id).first()
        if course is None:
            raise CommandError(f"Không có khóa học số {course_id}.")
        if language not in content_languages():
            raise CommandError(
                f"“{language}” không phải ngôn ngữ nội dung "
                f"({', '.join(content_languages())})."
            )
        if action == "export":
            sys.stdout.buffer.write(course_po_export(course=course, language=language))
            return
        if action == "stale":
            for segment in stale_segments(course=course, language=language):
                self.stdout.write(f"{segment.where} — {segment.key}")
            return
        if not file:
            raise CommandError("Hãy cho biết tệp PO cần nhập.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {file}.")
        with path.open("rb") as handle:
            data = handle.read(PO_MAX_BYTES + 1)
        try:
            report = course_po_import(
                course=course, language=language, data=data, reviewed=reviewed or None
            )
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        self.stdout.write(
            f"Đã nhập {report.translated} đoạn dịch: {report.created} mới, "
            f"{report.updated} cập nhật, {report.unchanged} không đổi."
        )
        for context in report.skipped_old:
            self.stdout.write(f"Bỏ qua (bản tiếng Việt đã đổi): {context}")
