from django.core.management.base import BaseCommand
from django.utils import timezone

from hocvuso.xapi.selectors import outbox_status_list


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = (
        "Tình trạng hàng đợi xAPI theo từng trang: số câu lệnh chờ gửi, đang "
        "gửi lỗi, đã gửi."
    )

    def handle(self, *args, **options):
        rows = outbox_status_list()
        if not rows:
            self.stdout.write("Hàng đợi xAPI trống.")
            return
        for row in rows:
            self.stdout.write(
                f"{row.site}  chờ gửi={row.pending}  lỗi={row.failing}  "
                f"đã gửi={row.sent}  chờ lâu nhất từ={_when(row.oldest_pending)}  "
                f"gửi gần nhất={_when(row.last_sent)}"
            )
            if row.last_error:
                self.stdout.write(f"    lỗi gần nhất: {row.last_error}")
