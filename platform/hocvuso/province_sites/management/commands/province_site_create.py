from django.core.management.base import BaseCommand, CommandError

from hocvuso.province_sites.services import (
    ProvinceSiteError,
    host_served,
    province_site_create,
)


class Command(BaseCommand):
    help = (
        "Tạo trang của một tỉnh trên tên miền riêng: nhập các xã của tỉnh từ danh "
        "mục kèm theo, tạo trang, giao diện và mẫu chứng nhận (chạy lại an toàn)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Mã tỉnh, ví dụ 46.")
        parser.add_argument(
            "--host", required=True, help="Tên miền, ví dụ hoc.hue.gov.vn."
        )
        parser.add_argument(
            "--name", default="", help="Tên hiển thị (mặc định: tên tỉnh)."
        )

    def handle(self, *args, **options):
        try:
            result = province_site_create(
                province_code=options["province"],
                hostname=options["host"],
                name=options["name"],
            )
        except ProvinceSiteError as exc:
            raise CommandError(str(exc)) from exc
        site = result.site
        done = "Đã tạo" if result.created else "Đã có sẵn"
        self.stdout.write(
            self.style.SUCCESS(
                f"{done} trang {site.site_name} tại {site.hostname} "
                f"(thêm {result.units_created} đơn vị)."
            )
        )
        if not host_served(hostname=site.hostname):
            self.stdout.write(
                self.style.WARNING(
                    f"Thêm {site.hostname} vào ALLOWED_HOSTS để máy chủ nhận trang này."
                )
            )
