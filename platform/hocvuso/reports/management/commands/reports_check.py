from django.core.management.base import BaseCommand, CommandError

from hocvuso.reports.consistency import units_check


class Command(BaseCommand):
    help = (
        "Đối chiếu số liệu báo cáo duy trì sẵn với số liệu tính lại từ dữ liệu gốc "
        "cho một mẫu đơn vị; thoát với mã lỗi nếu có chênh lệch."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample",
            type=int,
            default=None,
            help="Số đơn vị chọn ngẫu nhiên (mặc định: mọi đơn vị).",
        )

    def handle(self, *args, **options):
        differences = units_check(sample=options["sample"])
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(
                f"Có {len(differences)} chênh lệch; chạy "
                "`manage.py reports_backfill` để tính lại."
            )
        self.stdout.write(
            self.style.SUCCESS("Số liệu duy trì khớp với số liệu tính lại.")
        )
