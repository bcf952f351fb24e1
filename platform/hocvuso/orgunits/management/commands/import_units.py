from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hocvuso.orgunits.services import UnitImportError, units_import_csv


class Command(BaseCommand):
    help = "Nhập danh sách tỉnh và xã từ tệp CSV của danh mục hành chính (chạy lại an toàn)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=settings.UNITS_CSV,
            help="Tệp CSV (mặc định: danh mục kèm theo dự án).",
        )
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            help="Chỉ nhập tỉnh có mã này (có thể lặp lại).",
        )

    def handle(self, *args, **options):

        def progress(done: int, total: int) -> None:
            if done == total or done % 500 == 0:
                self.stdout.write(f"  {done}/{total} dòng")

        try:
            result = units_import_csv(
                path=options["file"],
                province_codes=options["province"],
                progress=progress,
            )
        except UnitImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {len(result.provinces)} tỉnh: thêm mới {result.created}, "
                f"đổi tên {result.renamed}, không đổi {result.unchanged}."
            )
        )
