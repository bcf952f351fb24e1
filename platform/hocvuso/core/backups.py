"""Backups and the restore drill, in one place.

A backup is a folder `hocvuso-<UTC time>/` under BACKUP_DIR holding
- `db.dump`: pg_dump's custom format, taken in one snapshot with the counts;
- `media/`: every file of MEDIA_ROOT that cannot be rebuilt (MEDIA_DERIVED is
  what can), hard-linked from the previous backup when unchanged, so that
  keeping a dozen backups costs one copy of the videos plus what changed;
- `manifest.json`, written last: counts of learners, attempts, answers and
  certificates, one certificate to verify after a restore, and the size and
  SHA-256 of the dump and of every media file.
It is written as `<name>.part` and renamed when complete: a folder without
that suffix is always whole.

The drill restores a backup into an empty database (the command refuses any
other), then compares what it finds with the manifest. A full base backup
with WAL archiving would allow point-in-time recovery; at this scale (a dump
of a province's data takes minutes) a nightly dump is simpler to run and to
prove, and README says how to add WAL archiving where a day's loss is too much.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from .selectors import backup_counts_get, certificate_sample_get

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "db.dump"
MEDIA = "media"
PART = ".part"
NAME_FORMAT = "hocvuso-%Y%m%dT%H%M%SZ"
# Rebuilt from what is kept: HLS renditions by transcoding media_originals/,
# Wagtail image renditions on demand from original_images/, report exports on
# request.
MEDIA_DERIVED = ("hls", "images", "exports")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or does not prove itself (Vietnamese)."""


# --- PostgreSQL tools ---------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = Path(settings.PG_BIN) / name if settings.PG_BIN else shutil.which(name)
    if not path or not Path(path).exists():
        raise BackupError(
            f"Không tìm thấy {name}: cài postgresql-client hoặc đặt PG_BIN."
        )
    return str(path)


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the database Django uses (no password on argv)."""
    if connection.vendor != "postgresql":
        raise BackupError("Sao lưu và phục hồi cần PostgreSQL (DATABASE_URL).")
    db = connection.settings_dict
    environment = {**os.environ, "PGDATABASE": db["NAME"]}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            environment[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return environment


def _run(command: list[str], *, timeout: float) -> None:
    try:
        result = subprocess.run(
            command,
            env=_pg_environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise BackupError(f"{Path(command[0]).name} quá {timeout:.0f} giây.") from error
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} lỗi: {result.stderr.strip()[-2000:]}"
        )


# --- Files --------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy(source: Path, target: Path) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as reading, target.open("wb") as writing:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            writing.write(chunk)
    return digest.hexdigest()


def _media_copy(*, source: Path, target: Path, previous: Path | None) -> list[dict]:
    """Copy what cannot be rebuilt; unchanged files are hard links to `previous`."""
    before = {}
    if previous is not None:
        before = {e["path"]: e for e in manifest_load(previous)["media"]["files"]}
    entries = []
    for directory, subdirectories, files in os.walk(source):
        here = Path(directory)
        if here == source:
            subdirectories[:] = [d for d in subdirectories if d not in MEDIA_DERIVED]
        subdirectories.sort()
        for name in sorted(files):
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(source).as_posix()
            stat = path.stat()
            copy = target / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            old = before.get(relative)
            digest = None
            if old and (old["bytes"], old["mtime_ns"]) == (
                stat.st_size,
                stat.st_mtime_ns,
            ):
                try:
                    os.link(previous / MEDIA / relative, copy)
                    digest = old["sha256"]
                except OSError:  # another file system, or links not allowed
                    digest = None
            if digest is None:
                digest = _copy(path, copy)
            entries.append(
                {
                    "path": relative,
                    "bytes": stat.st_size,
                    "sha256": digest,
                    "mtime_ns": stat.st_mtime_ns,
                }
            )
    return entries


def _safe_relative(path: str) -> Path:
    """A media path from a manifest, refused if it would leave the backup."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\\" in path:
        raise BackupError(f"manifest.json: đường dẫn không hợp lệ {path!r}.")
    return Path(*pure.parts)


# --- Backups on disk and their retention --------------------------------------


def backups_complete(root: Path) -> list[tuple[datetime, Path]]:
    """Whole backups under `root`, oldest first."""
    found = []
    for path in root.glob("hocvuso-*") if root.is_dir() else []:
        try:
            stamp = datetime.strptime(path.name, NAME_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            continue  # a .part folder, or not ours
        if (path / MANIFEST).is_file():
            found.append((stamp, path))
    return sorted(found)


def backups_to_keep(
    stamps: list[datetime], *, daily: int, weekly: int
) -> set[datetime]:
    """The newest backup of each of the last `daily` days that have one and of
    each of the last `weekly` ISO weeks (days and weeks in Vietnam's time)."""
    keep: set[datetime] = set()
    days: set = set()
    weeks: set = set()
    for stamp in sorted(stamps, reverse=True):
        local = timezone.localtime(stamp)
        day, week = local.date(), local.isocalendar()[:2]
        if day not in days and len(days) < daily:
            days.add(day)
            keep.add(stamp)
        if week not in weeks and len(weeks) < weekly:
            weeks.add(week)
            keep.add(stamp)
    return keep


def backups_prune(*, root: Path, daily: int, weekly: int) -> list[Path]:
    """Delete backups outside the retention and unfinished ones; the deleted."""
    complete = backups_complete(root)
    keep = backups_to_keep([s for s, _ in complete], daily=daily, weekly=weekly)
    doomed = [path for stamp, path in complete if stamp not in keep]
    doomed += sorted(root.glob(f"hocvuso-*{PART}"))
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def backup_create(
    *,
    root: Path,
    media_root: Path,
    keep_daily: int,
    keep_weekly: int,
    timeout: float,
    now: datetime | None = None,
) -> Path:
    """Dump the database and copy the media into a new backup; prune old ones."""
    now = now or timezone.now()
    root.mkdir(parents=True, exist_ok=True)
    complete = backups_complete(root)
    name = now.astimezone(UTC).strftime(NAME_FORMAT)
    part = root / (name + PART)
    part.mkdir()
    # The counts and the dump see the same snapshot, whatever is written
    # meanwhile: the drill can demand equality.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(
                "SELECT pg_export_snapshot(), current_setting('server_version')"
            )
            snapshot, server_version = cursor.fetchone()
        counts = backup_counts_get()
        certificate = certificate_sample_get()
        _run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={part / DUMP}",
            ],
            timeout=timeout,
        )
    # After the dump: every file a dumped row names was there before it.
    files = _media_copy(
        source=media_root,
        target=part / MEDIA,
        previous=complete[-1][1] if complete else None,
    )
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database": {
            "file": DUMP,
            "server_version": server_version,
            "bytes": (part / DUMP).stat().st_size,
            "sha256": sha256_file(part / DUMP),
        },
        "counts": counts,
        "certificate": certificate,
        "media": {
            "excluded": [f"{d}/" for d in MEDIA_DERIVED],
            "count": len(files),
            "bytes": sum(f["bytes"] for f in files),
            "files": files,
        },
    }
    with (part / MANIFEST).open("w", encoding="utf-8") as out:
        json.dump(manifest, out, ensure_ascii=False, indent=1)
        out.flush()
        os.fsync(out.fileno())
    final = root / name
    part.rename(final)
    backups_prune(root=root, daily=keep_daily, weekly=keep_weekly)
    return final


# --- The restore drill ----------------------------------------------------------


def manifest_load(backup: Path) -> dict:
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
        if manifest["format"] != FORMAT:
            raise BackupError(f"manifest.json: định dạng {manifest['format']!r} lạ.")
        for key in ("database", "counts", "media"):
            if not isinstance(manifest[key], dict):
                raise TypeError(key)
        certificate = manifest.get("certificate")
        if certificate is not None and not (
            re.fullmatch(r"[A-Za-z0-9_-]{1,32}", str(certificate["code"]))
            and all(isinstance(certificate[k], str) for k in ("holder_name", "status"))
        ):
            raise TypeError("certificate")
        return manifest
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{backup / MANIFEST} không đọc được: {error!r}") from error


def backup_resolve(path: Path) -> Path:
    """A backup folder, or the newest whole one in a folder of backups."""
    if (path / MANIFEST).is_file():
        return path
    complete = backups_complete(path)
    if not complete:
        raise BackupError(f"Không có bản sao lưu hoàn chỉnh trong {path}.")
    return complete[-1][1]


def backup_files_check(*, backup: Path, manifest: dict) -> list[str]:
    """Problems with the dump and media files against the manifest."""
    problems = []
    try:
        database, media = manifest["database"], manifest["media"]
        dump = backup / DUMP
        if not dump.is_file():
            problems.append(f"thiếu {DUMP}")
        elif sha256_file(dump) != database["sha256"]:
            problems.append(f"{DUMP}: SHA-256 khác manifest (tệp bị sửa hoặc hỏng)")
        if len(media["files"]) != media["count"]:
            problems.append("media: số tệp khác manifest")
        for entry in media["files"]:
            relative = _safe_relative(entry["path"])
            path = backup / MEDIA / relative
            if not path.is_file():
                problems.append(f"media: thiếu {entry['path']}")
            elif (
                path.stat().st_size != entry["bytes"]
                or sha256_file(path) != entry["sha256"]
            ):
                problems.append(f"media: {entry['path']} khác manifest")
    except (KeyError, TypeError) as error:
        problems.append(f"manifest.json thiếu hoặc sai mục {error!r}")
    return problems


def database_restore(*, backup: Path, timeout: float) -> None:
    """pg_restore into the database Django uses, which must be empty."""
    if connection.introspection.table_names():
        raise BackupError(
            "Cơ sở dữ liệu đích đã có bảng: diễn tập chỉ phục hồi vào cơ sở dữ liệu "
            "trống (không bao giờ vào hệ thống đang chạy)."
        )
    connection.close()
    _run(
        [
            _pg_tool("pg_restore"),
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(backup / DUMP),
        ],
        timeout=timeout,
    )


def _public_host() -> str:
    concrete = [h for h in settings.ALLOWED_HOSTS if h and h[0] not in ".*"]
    return concrete[0] if concrete else "localhost"


def restored_check(*, manifest: dict) -> tuple[dict[str, int], list[str]]:
    """The restored database's counts, and how it differs from the manifest."""
    counts = backup_counts_get()
    problems = [
        f"{key}: {counts.get(key)} sau phục hồi, {expected} trong manifest"
        for key, expected in manifest["counts"].items()
        if counts.get(key) != expected
    ]
    certificate = manifest.get("certificate")
    if certificate:
        response = Client(raise_request_exception=False).get(
            reverse("certificate_verify", args=[certificate["code"]]),
            secure=True,
            headers={"host": _public_host()},
        )
        page = response.content.decode("utf-8", "replace")
        if response.status_code != 200:
            problems.append(
                f"/xac-minh/: mã {certificate['code']} trả {response.status_code}"
            )
        elif (
            f'data-status="{certificate["status"]}"' not in page
            or escape(certificate["holder_name"]) not in page
        ):
            problems.append(f"/xac-minh/: mã {certificate['code']} không khớp manifest")
        names = {entry["path"] for entry in manifest["media"]["files"]}
        if certificate.get("pdf") and certificate["pdf"] not in names:
            problems.append(f"media: thiếu tệp PDF {certificate['pdf']}")
    return counts, problems
