from django.core.management.base import BaseCommand

from hocvuso.lti.keys import tool_key_rotate, tool_keys_retired_remove


class Command(BaseCommand):
    help = (
        "Tạo khóa ký mới cho công cụ LTI; khóa cũ vẫn được công bố cho đến khi "
        "chạy lại với --remove-retired (docs/lti.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--remove-retired",
            action="store_true",
            help="Chỉ gỡ các khóa đã thay khỏi danh sách công bố.",
        )

    def handle(self, *args, remove_retired=False, **options):
        if remove_retired:
            removed = tool_keys_retired_remove()
            self.stdout.write(f"Đã gỡ {removed} khóa cũ.")
            return
        key = tool_key_rotate()
        self.stdout.write(f"Khóa mới: {key.kid}")
