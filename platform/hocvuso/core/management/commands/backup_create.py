from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hocvuso.core.backups import BackupError, backup_create, manifest_load


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (pg_dump) và các tệp media không tạo lại được vào "
        "BACKUP_DIR, kèm manifest (số lượng, SHA-256); xóa bản cũ theo "
        "BACKUP_KEEP_DAILY / BACKUP_KEEP_WEEKLY."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dest", type=Path, default=None, help="Thay BACKUP_DIR.")
        parser.add_argument(
            "--timeout", type=float, default=7200, help="Giây tối đa cho pg_dump."
        )

    def handle(self, *args, dest, timeout, **options):
        try:
            backup = backup_create(
                root=dest or settings.BACKUP_DIR,
                media_root=Path(settings.MEDIA_ROOT),
                keep_daily=settings.BACKUP_KEEP_DAILY,
                keep_weekly=settings.BACKUP_KEEP_WEEKLY,
                timeout=timeout,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = manifest_load(backup)
        counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
        self.stdout.write(
            f"Đã sao lưu: {backup}\n  {counts}\n"
            f"  CSDL {manifest['database']['bytes']:,} byte, media "
            f"{manifest['media']['count']} tệp, {manifest['media']['bytes']:,} byte"
        )
