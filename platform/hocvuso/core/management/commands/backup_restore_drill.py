from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hocvuso.core.backups import (
    BackupError,
    backup_files_check,
    backup_resolve,
    database_restore,
    manifest_load,
    restored_check,
)


class Command(BaseCommand):
    help = (
        "Diễn tập phục hồi: kiểm tra tệp của bản sao lưu, phục hồi vào cơ sở dữ liệu "
        "TRỐNG mà DATABASE_URL chỉ tới, so số lượng với manifest và xác minh một "
        "chứng nhận tại /xac-minh/. Dùng qua deploy/restore-drill."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "backup",
            type=Path,
            help="Thư mục bản sao lưu, hoặc BACKUP_DIR (bản mới nhất).",
        )
        parser.add_argument(
            "--timeout", type=float, default=3600, help="Giây tối đa cho pg_restore."
        )

    def handle(self, *args, backup, timeout, **options):
        try:
            backup = backup_resolve(backup)
            manifest = manifest_load(backup)
            self.stdout.write(f"Bản sao lưu: {backup}")
            problems = backup_files_check(backup=backup, manifest=manifest)
            if problems:
                raise BackupError("\n  ".join(["Tệp sao lưu không khớp:", *problems]))
            database_restore(backup=backup, timeout=timeout)
            counts, problems = restored_check(manifest=manifest)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for key, value in counts.items():
            expected = manifest["counts"].get(key)
            mark = "✓" if value == expected else "✗"
            self.stdout.write(f"  {mark} {key}: {value} (manifest {expected})")
        certificate = manifest.get("certificate")
        if certificate:
            self.stdout.write(
                f"  /xac-minh/{certificate['code']}/ — {certificate['holder_name']}"
            )
        if problems:
            raise CommandError("\n  ".join(["Phục hồi không khớp:", *problems]))
        self.stdout.write(self.style.SUCCESS("Diễn tập phục hồi: đạt."))
