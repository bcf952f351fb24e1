import time

from django.core.management.base import BaseCommand

from hocvuso.reports import maintained


class Command(BaseCommand):
    help = (
        "Tính số liệu báo cáo duy trì sẵn cho mọi người học (chạy sau khi nâng cấp; "
        "chạy lại an toàn, người học nào đã đúng thì không ghi gì)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            type=int,
            default=maintained.BATCH,
            help="Số người học mỗi lượt (mỗi lượt một giao dịch).",
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Xóa hết số liệu duy trì rồi tính lại từ đầu (báo cáo đọc "
            "dữ liệu gốc trong lúc chạy).",
        )

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"  {done}/{total} người học ({elapsed:.0f} giây)")

        total = maintained.backfill(
            batch=options["batch"], rebuild=options["rebuild"], progress=progress
        )
        # A backfill writes every learner into every shard; folded, the
        # report reads a sixteenth of the rows from the first morning on.
        maintained.counters_compact()
        maintained.statistics_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {total} người học trong {time.monotonic() - started:.0f} giây; "
                "báo cáo đọc số liệu duy trì."
            )
        )
