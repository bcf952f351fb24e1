import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hocvuso.accounts.services import identity_provider_save


class Command(BaseCommand):
    help = (
        "Thêm hoặc sửa một nhà cung cấp định danh (OpenID Connect) và các trang "
        "(tên miền) được dùng nó để đăng nhập. Xem docs/identity-providers.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("provider_id", help="Mã, ví dụ vneid hoặc quang-ngai.")
        parser.add_argument("--name", required=True, help="Tên hiện trên nút.")
        parser.add_argument(
            "--server-url", required=True, help="Địa chỉ issuer của nhà cung cấp."
        )
        parser.add_argument("--client-id", required=True)
        parser.add_argument(
            "--secret-env",
            default="OIDC_CLIENT_SECRET",
            help="Biến môi trường chứa client secret (không gõ secret trên dòng lệnh).",
        )
        parser.add_argument(
            "--site",
            action="append",
            required=True,
            help="Tên miền của trang dùng nhà cung cấp này; lặp lại cho nhiều "
            "trang; * là mọi trang.",
        )

    def handle(self, *args, **options):
        secret = os.environ.get(options["secret_env"], "")
        try:
            app, created = identity_provider_save(
                provider_id=options["provider_id"],
                name=options["name"],
                server_url=options["server_url"],
                client_id=options["client_id"],
                secret=secret,
                sites=options["site"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        verb = "Đã thêm" if created else "Đã cập nhật"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {app.name} ({app.provider_id}) cho: {', '.join(app.settings['sites'])}"
            )
        )
