"""deploy/backup and deploy/restore-drill at small scale, as CI runs them: a
few learners with attempts and answers and a certificate, backed up, restored
into a fresh PostgreSQL cluster and proved; a tampered dump or manifest fails
the drill. Retention and the media rules are checked without a database."""

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from hocvuso.core import backups

from certificates.models import Certificate
from certificates.services import certificate_render
from courses.models import CoursePage
from quizzes.services import (
    answer_autosave,
    attempt_start,
    attempt_submit,
)

REPO = Path(__file__).resolve().parents[2]
HOLDER = "Nguyễn Thị <Hoa> & Lê"
ORIGINAL = "media_originals/2026/12/bai-1.mp4"


def _postgres_only():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the suite on PostgreSQL: DATABASE_URL is not set")
        pytest.skip("pg_dump and the drill need PostgreSQL (set DATABASE_URL)")


def _environment(media: Path) -> dict[str, str]:
    """The test database for the scripts, and nothing of this run's Redis."""
    db = connection.settings_dict
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_URL", "CELERY_", "ALLOWED_HOSTS"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="hocvuso.settings.dev",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DB_POOL_MIN="1",
        MEDIA_ROOT=str(media),
        DRILL_TIMEOUT="300",
    )
    return environment


def _script(name: str, *args: str, media: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(REPO / "deploy" / name), *args],
        env=_environment(media),
        capture_output=True,
        text=True,
        timeout=360,
    )


@pytest.fixture
def exam_day(transactional_db, make_quiz, make_learner, tmp_path, settings):
    """Three learners who took the test, one certificate, media on disk."""
    _postgres_only()
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    quiz = make_quiz(questions=4, draw=3)
    learners = [make_learner() for _ in range(3)]
    for n, learner in enumerate(learners):
        attempt = attempt_start(user=learner, quiz=quiz)
        for seq, question_id in enumerate(attempt.question_ids, start=1):
            choice = attempt.choice_order[str(question_id)][0]
            answer_autosave(
                attempt=attempt, question_id=question_id, choice_ids=[choice], seq=seq
            )
        if n < 2:
            attempt_submit(attempt=attempt, answers=[])
    certificate = Certificate.objects.create(
        user=learners[0],
        course=CoursePage.objects.first(),
        holder_name=HOLDER,
        title="Khóa học thử 1",
        completed_at=timezone.now(),
        issuer_name="Sở Khoa học và Công nghệ",
        signer_name="Trần Văn B",
        signer_title="Giám đốc",
    )
    certificate_render(certificate=certificate)
    (media / ORIGINAL).parent.mkdir(parents=True)
    (media / ORIGINAL).write_bytes(os.urandom(300_000))
    # renditions and exports are rebuilt, never backed up
    for derived in (
        "hls/1/master.m3u8",
        "images/anh.max-800x600.webp",
        "exports/x.csv",
    ):
        (media / derived).parent.mkdir(parents=True)
        (media / derived).write_text("rebuilt")
    certificate.refresh_from_db()
    return {"media": media, "certificate": certificate, "answers": 9}


def test_a_backup_restores_into_a_fresh_cluster_and_proves_itself(exam_day, tmp_path):
    media = exam_day["media"]
    result = _script("backup", "--dest", str(tmp_path / "backups"), media=media)
    assert result.returncode == 0, result.stdout + result.stderr
    ((_, backup),) = backups.backups_complete(tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["counts"] == {
        "accounts": 3,
        "learners": 3,
        "attempts": 3,
        "answers": exam_day["answers"],
        "certificates": 1,
    }
    certificate = exam_day["certificate"]
    assert manifest["certificate"]["code"] == certificate.code
    kept = {entry["path"] for entry in manifest["media"]["files"]}
    assert kept == {ORIGINAL, certificate.pdf.name, certificate.png.name}
    assert (backup / "media" / ORIGINAL).read_bytes() == (media / ORIGINAL).read_bytes()

    drill = _script("restore-drill", str(tmp_path / "backups"), media=media)
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert "✓ answers: 9 (manifest 9)" in drill.stdout
    assert f"/xac-minh/{certificate.code}/" in drill.stdout
    assert "Diễn tập phục hồi: đạt." in drill.stdout
    # the temporary cluster is gone
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("hocvuso-drill.*/pg"))

    # tomorrow's backup links the unchanged video instead of copying it again
    # (a second one the same day would replace this one: one backup a day)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    backup.rename(backup.with_name(yesterday.strftime(backups.NAME_FORMAT)))
    result = _script("backup", "--dest", str(tmp_path / "backups"), media=media)
    assert result.returncode == 0, result.stdout + result.stderr
    first, second = (path for _, path in backups.backups_complete(tmp_path / "backups"))
    assert (first / "media" / ORIGINAL).stat().st_ino == (
        second / "media" / ORIGINAL
    ).stat().st_ino
    assert (second / "media" / ORIGINAL).stat().st_nlink == 2


def test_the_drill_fails_on_a_tampered_dump_or_manifest(exam_day, tmp_path):
    media = exam_day["media"]
    result = _script("backup", "--dest", str(tmp_path / "backups"), media=media)
    assert result.returncode == 0, result.stdout + result.stderr
    ((_, backup),) = backups.backups_complete(tmp_path / "backups")

    dump_changed = tmp_path / "dump-changed"
    shutil.copytree(backup, dump_changed)
    dump = dump_changed / "db.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    drill = _script("restore-drill", str(dump_changed), media=media)
    assert drill.returncode != 0
    assert "db.dump: SHA-256 khác manifest" in drill.stderr
    assert "Traceback" not in drill.stderr

    count_changed = tmp_path / "count-changed"
    shutil.copytree(backup, count_changed)
    manifest = json.loads((count_changed / "manifest.json").read_text())
    manifest["counts"]["answers"] += 1
    (count_changed / "manifest.json").write_text(json.dumps(manifest))
    drill = _script("restore-drill", str(count_changed), media=media)
    assert drill.returncode != 0
    assert "answers: 9 sau phục hồi, 10 trong manifest" in drill.stderr
    assert "✗ answers" in drill.stdout


def test_the_drill_refuses_a_database_that_is_not_empty(exam_day, tmp_path):
    # the drill's command pointed at a live database restores nothing into it
    with pytest.raises(backups.BackupError, match="trống"):
        backups.database_restore(backup=tmp_path, timeout=10)


# --- without a database ----------------------------------------------------------


def _fake_backup(root: Path, files: list[dict], media: dict[str, bytes]) -> Path:
    backup = root / "hocvuso-20261206T010203Z"
    (backup / "media").mkdir(parents=True)
    (backup / "db.dump").write_bytes(b"dump")
    for path, content in media.items():
        (backup / "media" / path).parent.mkdir(parents=True, exist_ok=True)
        (backup / "media" / path).write_bytes(content)
    manifest = {
        "format": 1,
        "database": {"sha256": backups.sha256_file(backup / "db.dump")},
        "counts": {},
        "media": {"count": len(files), "files": files},
    }
    (backup / "manifest.json").write_text(json.dumps(manifest))
    return backup


@pytest.mark.parametrize(
    "path", ["../../etc/passwd", "/etc/passwd", "a/../../b", "", "a\\..\\b"]
)
def test_a_manifest_path_outside_the_backup_is_refused(tmp_path, path):
    backup = _fake_backup(
        tmp_path, [{"path": path, "bytes": 1, "sha256": "0" * 64}], {}
    )
    with pytest.raises(backups.BackupError, match="đường dẫn không hợp lệ"):
        backups.backup_files_check(
            backup=backup, manifest=backups.manifest_load(backup)
        )


def test_a_changed_or_missing_media_file_is_found(tmp_path):
    files = [
        {
            "path": "a.pdf",
            "bytes": 3,
            "sha256": backups.sha256_file(_write(tmp_path, b"abc")),
        },
        {"path": "b.mp4", "bytes": 3, "sha256": "0" * 64},
    ]
    backup = _fake_backup(tmp_path / "root", files, {"a.pdf": b"abd"})
    problems = backups.backup_files_check(
        backup=backup, manifest=backups.manifest_load(backup)
    )
    assert problems == ["media: a.pdf khác manifest", "media: thiếu b.mp4"]


def _write(folder: Path, content: bytes) -> Path:
    path = folder / "content"
    path.write_bytes(content)
    return path


_WHOLE = '"format": 1, "database": {}, "counts": {}, "media": {}'


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[]",
        '{"format": 1}',
        '{"format": 2}',
        "{" + _WHOLE + ', "certificate": {"code": "../../admin"}}',
        "{"
        + _WHOLE
        + ', "certificate": {"code": "abc", "holder_name": 1, "status": "valid"}}',
        "{" + _WHOLE + ', "certificate": []}',
    ],
)
def test_a_broken_manifest_is_a_message_not_a_crash(tmp_path, text):
    (tmp_path / "manifest.json").write_text(text)
    with pytest.raises(backups.BackupError):
        backups.manifest_load(tmp_path)


def _local_days(stamps) -> list[str]:
    return sorted(timezone.localtime(s).strftime("%m-%d %H:%M") for s in stamps)


def test_retention_keeps_the_newest_of_each_recent_day_and_week():
    # nightly at 02:30 in Vietnam (19:30 UTC the day before) for 60 days up to
    # Monday 7 December, and a manual backup at 04:30 that Monday
    last = datetime(2026, 12, 6, 19, 30, tzinfo=UTC)
    stamps = [last - timedelta(days=n) for n in range(60)]
    stamps.append(last + timedelta(hours=2))
    keep = backups.backups_to_keep(stamps, daily=7, weekly=5)
    assert _local_days(keep) == [
        "11-15 02:30",  # the Sundays of the three weeks before
        "11-22 02:30",
        "11-29 02:30",
        "12-01 02:30",  # the last seven days, the newest of each
        "12-02 02:30",
        "12-03 02:30",
        "12-04 02:30",
        "12-05 02:30",
        "12-06 02:30",
        "12-07 04:30",
    ]


def test_pruning_deletes_old_and_unfinished_backups_only(tmp_path):
    first = datetime(2026, 10, 1, 19, 30, tzinfo=UTC)  # 2 October, 02:30 in Vietnam
    for n in range(30):
        name = (first + timedelta(days=n)).strftime(backups.NAME_FORMAT)
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
    (tmp_path / ("hocvuso-20261101T000000Z" + backups.PART)).mkdir()
    (tmp_path / "hocvuso-20261102T000000Z").mkdir()  # no manifest: not ours to judge
    (tmp_path / "notes").mkdir()
    deleted = backups.backups_prune(root=tmp_path, daily=3, weekly=2)
    assert len(deleted) == 26 + 1
    left = backups.backups_complete(tmp_path)
    # Saturday 31 October and the two days before; Sunday 25 October
    assert _local_days(s for s, _ in left) == [
        "10-25 02:30",
        "10-29 02:30",
        "10-30 02:30",
        "10-31 02:30",
    ]
    names = {p.name for p in tmp_path.iterdir()}
    assert {"notes", "hocvuso-20261102T000000Z"} <= names
    assert not any(n.endswith(backups.PART) for n in names)
