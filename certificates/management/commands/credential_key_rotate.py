from django.core.management.base import BaseCommand

from certificates.credentials import key_url
from certificates.selectors import credential_keys_published
from certificates.services import credential_key_rotate


class Command(BaseCommand):
    help = (
        "Tạo khóa mới để ký chứng chỉ số; các khóa cũ thôi ký nhưng vẫn được công bố, "
        "nên chứng chỉ số đã tải về vẫn xác minh được (docs/verifiable-credentials.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--withdraw-previous",
            action="store_true",
            help=(
                "Khóa cũ bị lộ: thôi công bố các khóa cũ; mọi chứng chỉ số chúng đã ký "
                "không còn xác minh được, người học tải lại để có bản ký bằng khóa mới."
            ),
        )

    def handle(self, *args, **options):
        key = credential_key_rotate(withdraw_previous=options["withdraw_previous"])
        self.stdout.write(self.style.SUCCESS(f"Khóa ký mới: {key_url(key)}"))
        published = credential_keys_published()
        self.stdout.write(f"Khóa đang công bố: {len(published)}")
