import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import learner_events, transcode
from .completion import course_is_complete, programme_is_complete
from .learner_events import LearningRecord, RecordKind
from .media_probe import media_file_check, probe_path
from .models import (
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonMedia,
    LessonPage,
    LessonProgress,
    MediaKind,
    MediaStatus,
    MediaWatch,
    ProgrammeCompletion,
)
from .page_cache import pages_changed
from .selectors import (
    COMPLETION_SHARE,
    LessonContext,
    completed_course_ids,
    completion_facts_get,
    lesson_context_get,
    lesson_media_flags,
    media_unwatched_list,
    packages_unfinished_list,
    programmes_of_course_list,
)
from .signals import course_completed, programme_completed


class LessonLocked(Exception):
    """The course is taken in order and an earlier lesson is not done."""

    def __init__(self, lesson: LessonPage):
        self.lesson = lesson
        super().__init__(
            _("Hãy hoàn thành bài “%(title)s” trước.") % {"title": lesson.title}
        )


class NotEnrolled(Exception):
    pass


class MediaNotWatched(Exception):
    """A required video or audio of the lesson is not 90% watched yet."""

    def __init__(self, media: LessonMedia):
        self.media = media
        super().__init__(
            _("Hãy xem hoặc nghe ít nhất 90%% “%(title)s” trước khi hoàn thành bài.")
            % {"title": media.title}
        )


class PackageNotCompleted(Exception):
    """A required content package of the lesson has not reported
    "completed" or "passed" yet."""

    def __init__(self, package):
        self.package = package
        super().__init__(
            _("Hãy học xong “%(title)s” trước khi hoàn thành bài.")
            % {"title": package.title}
        )


@dataclass(frozen=True)
class LessonCompletion:
    newly_done: bool  # this call recorded it (False: it was done already)
    next_lesson: LessonPage | None
    course: CoursePage


def enrolment_create(
    *, user, course: CoursePage, now: datetime | None = None
) -> Enrolment:
    """Enrol once; enrolling again returns the existing enrolment."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            user=user,
            course=course,
            defaults={"enrolled_at": now, "last_activity_at": now},
        )
        if created:
            learner_events.learners_changed(user_ids=[user.pk])
            learner_events.learning_recorded(
                record=LearningRecord(
                    kind=RecordKind.ENROLLED, user_id=user.pk, page_id=course.pk, at=now
                )
            )
    return enrolment


def _check_open(ctx: LessonContext) -> None:
    if not ctx.progress.enrolled:
        raise NotEnrolled
    if ctx.state.locked:
        raise LessonLocked(ctx.progress.next_lesson)


def lesson_open(*, user, ctx: LessonContext, now: datetime | None = None) -> None:
    """Record that the learner opened the lesson (they now "take part") and
    where to resume.

    Takes the LessonContext the page state has already read, so a lesson view
    runs its progress queries once; writes only what changed (a lesson viewed
    again within minutes writes nothing). Each write is one idempotent
    statement; the first opening also updates the report's figures, in the
    same transaction.
    """
    now = now or timezone.now()
    _check_open(ctx)
    lesson = ctx.state.lesson
    if ctx.opened and ctx.resume_is_current:
        return
    # One transaction for both writes: one commit (one WAL flush), not two.
    with transaction.atomic():
        if not ctx.opened:
            _progress_create(user=user, ctx=ctx, now=now, done=False)
        if not ctx.resume_is_current:
            Enrolment.objects.filter(user=user, course=ctx.course).update(
                last_lesson_id=lesson.pk, last_activity_at=now
            )


def _progress_mark_done(*, user, ctx: LessonContext, now: datetime) -> bool:
    """Record the lesson done, once: True for the call that recorded it.
    From what the context read, one statement (the lesson was opened, as
    its page state does) or none (done already). Both statements are
    conditional, so two taps at once record the completion once."""
    if ctx.state.done:
        return False
    if not ctx.opened and _progress_create(user=user, ctx=ctx, now=now, done=True):
        return True
    return bool(
        LessonProgress.objects.filter(
            user=user, lesson=ctx.state.lesson, completed_at=None
        ).update(completed_at=now)
    )


def _progress_create(*, user, ctx: LessonContext, now: datetime, done: bool) -> bool:
    """The learner's row for the lesson, opened now (and done, when `done`),
    unless one exists: True when this call created it. A first opening
    updates the report's figures, in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {LessonProgress._meta.db_table}"
            " (user_id, lesson_id, course_id, opened_at, completed_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [user.pk, ctx.state.lesson.pk, ctx.course.pk, now, now if done else None],
        )
        created = bool(cursor.rowcount)
    if created:
        learner_events.lesson_first_opened(
            user_id=user.pk, course_id=ctx.course.pk, at=now
        )
    return created


def _required_lessons_left(ctx: LessonContext, *, done_now: int) -> bool:
    """A required lesson still to do, so the course cannot be complete yet:
    the completion check (five queries) can wait for a later lesson."""
    return ctx.course.completion_requires_lessons and any(
        s.lesson.required and not s.done and s.lesson.pk != done_now
        for s in ctx.progress.lessons
    )


@transaction.atomic
def lesson_complete(
    *, user, lesson: LessonPage, now: datetime | None = None
) -> LessonCompletion:
    """Mark the lesson done (once) and say which lesson comes next.

    A lesson with a required video or audio completes only once 90% of it
    has been watched (see media_heartbeat), one with a required content
    package once the package reported completion (package_report)."""
    now = now or timezone.now()
    ctx = lesson_context_get(lesson=lesson, user=user)
    _check_open(ctx)
    unwatched = media_unwatched_list(lesson=lesson, user=user)
    if unwatched:
        raise MediaNotWatched(unwatched[0])
    unfinished = packages_unfinished_list(lesson=lesson, user=user)
    if unfinished:
        raise PackageNotCompleted(unfinished[0])
    newly_done = _progress_mark_done(user=user, ctx=ctx, now=now)
    if newly_done:
        learner_events.learning_recorded(
            record=LearningRecord(
                kind=RecordKind.LESSON_COMPLETED,
                user_id=user.pk,
                page_id=lesson.pk,
                course_id=ctx.course.pk,
                at=now,
            )
        )
    Enrolment.objects.filter(user=user, course=ctx.course).update(
        last_lesson=lesson, last_activity_at=now
    )
    if not _required_lessons_left(ctx, done_now=lesson.pk):
        course_completion_check(user=user, course=ctx.course, now=now)
    remaining = [
        s.lesson
        for s in ctx.progress.lessons
        if not s.done and s.lesson.pk != lesson.pk
    ]
    return LessonCompletion(
        newly_done=newly_done,
        next_lesson=remaining[0] if remaining else None,
        course=ctx.course,
    )


# --- Completion -------------------------------------------------------------------


@transaction.atomic
def course_completion_check(
    *,
    user,
    course: CoursePage,
    now: datetime | None = None,
    figures_refresh: bool = True,
) -> CourseCompletion | None:
    """Record the course's completion once, when its rule holds, and check the
    programmes that contain it. Safe to call any number of times: the row is
    unique per learner and course, and `course_completed` is sent only by the
    call that created it, after commit. A new completion updates the report's
    figures unless the caller refreshes them itself (`figures_refresh`)."""
    existing = CourseCompletion.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    facts, test = completion_facts_get(user=user, course=course)
    if not course_is_complete(course.completion_rule, facts):
        return None
    now = now or timezone.now()
    completion, created = CourseCompletion.objects.get_or_create(
        user=user,
        course=course,
        defaults={
            "completed_at": now,
            "score_percent": test.score_percent if test.exists else None,
        },
    )
    if created:
        transaction.on_commit(
            lambda: course_completed.send(
                sender=CourseCompletion, completion=completion
            )
        )
        learner_events.learning_recorded(
            record=LearningRecord(
                kind=RecordKind.COURSE_COMPLETED,
                user_id=user.pk,
                page_id=course.pk,
                at=now,
            )
        )
        _programmes_check(user=user, course=course, now=now)
        if figures_refresh:
            learner_events.learners_changed(user_ids=[user.pk])
    return completion


def _programmes_check(*, user, course: CoursePage, now: datetime) -> None:
    programmes = programmes_of_course_list(course=course)
    if not programmes:
        return
    done = completed_course_ids(user=user, course_ids=set().union(*programmes.values()))
    for programme_id, course_ids in programmes.items():
        if not programme_is_complete(course_ids=course_ids, completed_ids=done):
            continue
        completion, created = ProgrammeCompletion.objects.get_or_create(
            user=user, programme_id=programme_id, defaults={"completed_at": now}
        )
        if created:
            learner_events.learning_recorded(
                record=LearningRecord(
                    kind=RecordKind.PROGRAMME_COMPLETED,
                    user_id=user.pk,
                    page_id=programme_id,
                    at=now,
                )
            )
            transaction.on_commit(
                lambda c=completion: programme_completed.send(
                    sender=ProgrammeCompletion, completion=c
                )
            )


# --- Video and audio ----------------------------------------------------------


def media_create(
    *,
    title: str,
    kind: str,
    path: Path,
    transcript: str = "",
    translation_of: LessonMedia | None = None,
    language: str | None = None,
) -> LessonMedia:
    """Check a file on disk, store it and queue its transcoding. With
    `translation_of`, the file is that media's version in `language`
    (media_versions)."""
    media = LessonMedia(
        title=title,
        kind=kind,
        transcript=transcript,
        translation_of=translation_of,
        language=language or settings.LANGUAGE_CODE,
    )
    media.clean()
    probe = media_file_check(path, kind=kind)
    media.duration = probe.duration
    with path.open("rb") as f:
        media.original.save(path.name, File(f), save=False)
    media.save()
    media_transcode_enqueue(media=media)
    return media


def media_transcode_enqueue(*, media: LessonMedia) -> None:
    from .tasks import media_transcode_task

    transaction.on_commit(lambda: media_transcode_task.delay(media.pk))


def media_retry(*, media: LessonMedia) -> None:
    LessonMedia.objects.filter(pk=media.pk).update(
        status=MediaStatus.QUEUED, progress=0, failure_reason=""
    )
    media_transcode_enqueue(media=media)


def media_files_remove(*, media_id: int, files: list) -> None:
    """Remove what a deleted media leaves behind: its output and its files
    (the FieldFiles of its original and captions)."""
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "hls" / str(media_id), ignore_errors=True)
    for field in files:
        if field:
            field.storage.delete(field.name)


@contextlib.contextmanager
def _local_copy(field_file) -> Iterator[Path]:
    """The original as a file on disk, whatever the storage keeps it in."""
    try:
        local = Path(field_file.path)
    except NotImplementedError:
        local = None
    if local is not None and local.is_file():
        yield local
        return
    with tempfile.NamedTemporaryFile(suffix=Path(field_file.name).suffix) as tmp:
        with field_file.open("rb") as f:
            shutil.copyfileobj(f, tmp)
        tmp.flush()
        yield Path(tmp.name)


def _progress_writer(media_id: int):
    last = -1

    def write(percent: int) -> None:
        nonlocal last
        if percent != last:
            LessonMedia.objects.filter(pk=media_id).update(progress=percent)
            last = percent

    return write


def _produce(media: LessonMedia, work: Path) -> float:
    """Transcode into `work`; returns the duration. Raises on failure."""
    with _local_copy(media.original) as source:
        probe = probe_path(source)
        progress = _progress_writer(media.pk)
        if media.kind == MediaKind.VIDEO:
            transcode.video_transcode(
                ffmpeg=settings.FFMPEG_BIN,
                source=source,
                out=work,
                height=probe.height,
                fps=probe.fps,
                has_audio=probe.has_audio,
                duration=probe.duration,
                on_progress=progress,
            )
        else:
            transcode.audio_transcode(
                ffmpeg=settings.FFMPEG_BIN,
                source=source,
                out=work,
                duration=probe.duration,
                on_progress=progress,
            )
    return probe.duration


def media_transcode(*, media_id: int) -> LessonMedia | None:
    """Build MEDIA_ROOT/hls/<id>/ from the original. Idempotent: a media that
    is already ready is left alone; output is built in a scratch folder and
    swapped in whole, and a failure removes the scratch folder."""
    with transaction.atomic():
        media = LessonMedia.objects.select_for_update().filter(pk=media_id).first()
        if media is None or media.status == MediaStatus.READY:
            return media
        media.status = MediaStatus.PROCESSING
        media.progress = 0
        media.failure_reason = ""
        media.save(update_fields=["status", "progress", "failure_reason"])
    hls_root = Path(settings.MEDIA_ROOT) / "hls"
    hls_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{media.pk}-", dir=hls_root))
    try:
        duration = _produce(media, work)
    except (transcode.TranscodeFailed, ValidationError, OSError) as exc:
        shutil.rmtree(work, ignore_errors=True)
        reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        LessonMedia.objects.filter(pk=media.pk).update(
            status=MediaStatus.FAILED,
            progress=0,
            failure_reason=_("Chuyển mã thất bại: %(error)s") % {"error": reason},
        )
        media.refresh_from_db()
        return media
    final = hls_root / str(media.pk)
    if final.exists():
        old = final.rename(hls_root / f".{media.pk}-old-{uuid.uuid4().hex}")
        shutil.rmtree(old, ignore_errors=True)
    work.chmod(0o755)
    work.rename(final)
    prefix = f"hls/{media.pk}/"
    video = media.kind == MediaKind.VIDEO
    LessonMedia.objects.filter(pk=media.pk).update(
        status=MediaStatus.READY,
        progress=100,
        duration=duration,
        hls_master=prefix + transcode.MASTER,
        fallback=prefix
        + (transcode.VIDEO_FALLBACK if video else transcode.AUDIO_FALLBACK),
        poster=prefix + transcode.POSTER if video else "",
    )
    media_ready_announce()
    media.refresh_from_db()
    return media


def media_ready_announce() -> None:
    """A media became playable: lessons that place it (or its Vietnamese
    original, for a version in another language) read it anew, here and in
    nginx's copies. The status is written by update(), which sends no signal."""
    from hocvuso.core.public_pages import shared_pages_refresh_queue

    pages_changed()
    transaction.on_commit(shared_pages_refresh_queue)


@dataclass(frozen=True)
class Heartbeat:
    watched_seconds: float
    duration: float
    lesson_completed: bool

    @property
    def percent(self) -> int:
        if not self.duration:
            return 0
        return min(100, int(100 * self.watched_seconds / self.duration))


class MediaNotInLesson(Exception):
    pass


@transaction.atomic
def media_heartbeat(
    *,
    user_id: int,
    media: LessonMedia,
    lesson: LessonPage,
    position: float,
    watched: float,
    now: datetime | None = None,
) -> Heartbeat:
    """Credit watched time: never more than the wall-clock time since the
    previous heartbeat (plus a small tolerance), never more than the media
    lasts. Completes the lesson when a required media reaches 90%."""
    now = now or timezone.now()
    required = lesson_media_flags(lesson=lesson)
    # The lesson places the Vietnamese media; a version in another language
    # counts as it, with its own duration (media_versions).
    placed_id = media.translation_of_id or media.pk
    if placed_id not in required:
        raise MediaNotInLesson
    course_path = lesson.path[: -CoursePage.steplen]
    if not Enrolment.objects.filter(user_id=user_id, course__path=course_path).exists():
        raise NotEnrolled
    watch, created = MediaWatch.objects.select_for_update().get_or_create(
        user_id=user_id, media=media, defaults={"last_heartbeat_at": now}
    )
    elapsed = (
        0.0 if created else max(0.0, (now - watch.last_heartbeat_at).total_seconds())
    )
    credit = min(max(0.0, watched), elapsed + settings.MEDIA_HEARTBEAT_TOLERANCE)
    duration = media.duration or 0.0
    watch.watched_seconds = min(duration, watch.watched_seconds + credit)
    watch.position = min(max(0.0, position), duration)
    watch.last_heartbeat_at = now
    watch.save()
    completed = False
    if required[placed_id] and watch.watched_seconds >= COMPLETION_SHARE * duration:
        done = LessonProgress.objects.filter(
            user_id=user_id, lesson=lesson, completed_at__isnull=False
        ).exists()
        user = get_user_model().objects.get(pk=user_id)
        if not done:
            lesson_complete(user=user, lesson=lesson, now=now)
        else:
            # The video became required after the lesson was done: watching
            # it now may be what completes the course.
            course = CoursePage.objects.get(path=lesson.path[: -CoursePage.steplen])
            course_completion_check(user=user, course=course, now=now)
        completed = True
    return Heartbeat(
        watched_seconds=watch.watched_seconds,
        duration=duration,
        lesson_completed=completed,
    )
