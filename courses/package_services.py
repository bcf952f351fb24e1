"""Writes for content packages (SCORM 1.2, SCORM 2004, H5P): storing an upload, and what a
package's runtime reports for a learner (docs/content-packages.md)."""

import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from .models import (
    PACKAGE_DONE_STATUSES,
    ContentPackage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    PackageAttempt,
    PackageStatus,
)
from .package_archive import PackageInfo, package_inspect, package_unpack
from .selectors import lesson_package_flags
from .services import (
    MediaNotWatched,
    NotEnrolled,
    PackageNotCompleted,
    course_completion_check,
    lesson_complete,
)

PACKAGES_DIR = "packages"


def packages_root() -> Path:
    return Path(settings.MEDIA_ROOT) / PACKAGES_DIR


def package_folder(package_uuid: uuid.UUID) -> Path:
    return packages_root() / str(package_uuid)


@dataclass(frozen=True)
class UnpackedPackage:
    """A checked package, unpacked into a scratch folder of the packages
    root, waiting to be put in place (package_files_install)."""

    info: PackageInfo
    scratch: Path


def package_files_unpack(*, file: IO[bytes], size: int) -> UnpackedPackage:
    """Check the package and unpack it into a scratch folder; on refusal
    nothing is left behind and PackageRefused says why."""
    info = package_inspect(file, size=size)
    root = packages_root()
    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".new-", dir=root))
    try:
        file.seek(0)
        package_unpack(file, into=scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    finally:
        file.seek(0)
    return UnpackedPackage(info=info, scratch=scratch)


def package_files_discard(*, unpacked: UnpackedPackage) -> None:
    shutil.rmtree(unpacked.scratch, ignore_errors=True)


def package_files_install(*, package: ContentPackage, unpacked: UnpackedPackage):
    """Swap the package's files for the unpacked ones, whole: a learner never
    sees half of the old and half of the new."""
    final = package_folder(package.uuid)
    if final.exists():
        old = final.rename(packages_root() / f".old-{uuid.uuid4().hex}")
        shutil.rmtree(old, ignore_errors=True)
    unpacked.scratch.chmod(0o755)
    unpacked.scratch.rename(final)


def package_fields_set(*, package: ContentPackage, info: PackageInfo) -> None:
    package.kind = info.kind
    package.launch = info.launch
    package.file_count = info.file_count
    package.unpacked_bytes = info.unpacked_bytes


def package_create(*, title: str, file: IO[bytes], name: str) -> ContentPackage:
    """Check, store and unpack a package (the CMS form does the same in two
    steps: ContentPackageForm). Raises package_archive.PackageRefused, and
    then nothing is stored."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    unpacked = package_files_unpack(file=file, size=size)
    package = ContentPackage(title=title or unpacked.info.title or name)
    package_fields_set(package=package, info=unpacked.info)
    try:
        with transaction.atomic():
            package.archive.save(name, File(file), save=False)
            package.save()
    except BaseException:
        package_files_discard(unpacked=unpacked)
        raise
    package_files_install(package=package, unpacked=unpacked)
    return package


def package_files_remove(*, package_uuid: uuid.UUID, archive) -> None:
    """What a deleted package leaves behind: its files and its zip."""
    shutil.rmtree(package_folder(package_uuid), ignore_errors=True)
    if archive:
        archive.storage.delete(archive.name)


# --- What a package's runtime reports -------------------------------------------


class PackageNotInLesson(Exception):
    pass


@dataclass(frozen=True)
class PackageReport:
    status: str
    score: float | None
    lesson_completed: bool


@transaction.atomic
def package_report(
    *,
    user_id: int,
    package: ContentPackage,
    lesson: LessonPage,
    status: str,
    score: float | None,
    suspend_data: str | None = None,
    location: str | None = None,
    now: datetime | None = None,
) -> PackageReport:
    """Record the status and score the package's runtime committed (already
    put in SCORM 1.2's vocabulary and checked 0–100 by the API). Once the
    package reports "completed" or "passed", that stays true; a required
    package then completes the lesson, as a required video watched 90% does."""
    now = now or timezone.now()
    status = PackageStatus(status)
    if score is not None and not 0 <= score <= 100:
        raise ValueError("score out of range")
    required = lesson_package_flags(lesson=lesson)
    if package.pk not in required:
        raise PackageNotInLesson
    course_path = lesson.path[: -CoursePage.steplen]
    if not Enrolment.objects.filter(user_id=user_id, course__path=course_path).exists():
        raise NotEnrolled
    attempt, created = PackageAttempt.objects.select_for_update().get_or_create(
        user_id=user_id, package=package, defaults={"updated_at": now}
    )
    before = _reported(attempt)
    attempt.status = status
    if score is not None:
        attempt.score = score
        attempt.best_score = max(score, attempt.best_score or 0.0)
    if suspend_data is not None:
        attempt.suspend_data = suspend_data
    if location is not None:
        attempt.location = location
    if status in PACKAGE_DONE_STATUSES and attempt.completed_at is None:
        attempt.completed_at = now
    # A SCORM runtime reports again at Initialize on each visit, mostly
    # repeating what is stored: that is not written again.
    if created or _reported(attempt) != before:
        attempt.updated_at = now
        attempt.save()
    completed = False
    if required[package.pk] and attempt.completed_at is not None:
        completed = _lesson_complete_by_package(user_id=user_id, lesson=lesson, now=now)
    return PackageReport(
        status=attempt.status, score=attempt.score, lesson_completed=completed
    )


def _reported(attempt: PackageAttempt) -> tuple:
    return (
        attempt.status,
        attempt.score,
        attempt.best_score,
        attempt.suspend_data,
        attempt.location,
        attempt.completed_at,
    )


def _lesson_complete_by_package(
    *, user_id: int, lesson: LessonPage, now: datetime
) -> bool:
    user = get_user_model().objects.get(pk=user_id)
    done = LessonProgress.objects.filter(
        user_id=user_id, lesson=lesson, completed_at__isnull=False
    ).exists()
    if done:
        # The package became required after the lesson was done: finishing
        # it now may be what completes the course.
        course = CoursePage.objects.get(path=lesson.path[: -CoursePage.steplen])
        course_completion_check(user=user, course=course, now=now)
        return True
    try:
        lesson_complete(user=user, lesson=lesson, now=now)
    except (MediaNotWatched, PackageNotCompleted):
        # Something else of the lesson is still to do; the lesson's button
        # says what when the learner taps it.
        return False
    return True
