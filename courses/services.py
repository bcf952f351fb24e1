from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CoursePage, Enrolment, LessonPage, LessonProgress
from .selectors import LessonContext, lesson_context_get


class LessonLocked(Exception):
    """The course is taken in order and an earlier lesson is not done."""

    def __init__(self, lesson: LessonPage):
        self.lesson = lesson
        super().__init__(
            _("Hãy hoàn thành bài “%(title)s” trước.") % {"title": lesson.title}
        )


class NotEnrolled(Exception):
    pass


@dataclass(frozen=True)
class LessonCompletion:
    progress: LessonProgress
    next_lesson: LessonPage | None
    course: CoursePage


def enrolment_create(
    *, user, course: CoursePage, now: datetime | None = None
) -> Enrolment:
    """Enrol once; enrolling again returns the existing enrolment."""
    now = now or timezone.now()
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user, course=course, defaults={"enrolled_at": now, "last_activity_at": now}
    )
    return enrolment


def _check_open(ctx: LessonContext) -> None:
    if not ctx.progress.enrolled:
        raise NotEnrolled
    if ctx.state.locked:
        raise LessonLocked(ctx.progress.next_lesson)


def lesson_open(*, user, ctx: LessonContext, now: datetime | None = None) -> None:
    """Record that the learner opened the lesson (they now "take part").

    Takes the LessonContext the page has already read, so a lesson view runs
    its progress queries once. Both writes are idempotent on their own, so
    they need no transaction.
    """
    now = now or timezone.now()
    _check_open(ctx)
    lesson = ctx.state.lesson
    if not ctx.opened:
        LessonProgress.objects.bulk_create(
            [
                LessonProgress(
                    user=user, lesson_id=lesson.pk, course=ctx.course, opened_at=now
                )
            ],
            ignore_conflicts=True,
        )
    Enrolment.objects.filter(user=user, course=ctx.course).update(
        last_lesson_id=lesson.pk, last_activity_at=now
    )


@transaction.atomic
def lesson_complete(
    *, user, lesson: LessonPage, now: datetime | None = None
) -> LessonCompletion:
    """Mark the lesson done (once) and say which lesson comes next."""
    now = now or timezone.now()
    ctx = lesson_context_get(lesson=lesson, user=user)
    _check_open(ctx)
    progress, _created = LessonProgress.objects.get_or_create(
        user=user,
        lesson=lesson,
        defaults={"course": ctx.course, "opened_at": now, "completed_at": now},
    )
    if progress.completed_at is None:
        progress.completed_at = now
        progress.save(update_fields=["completed_at"])
    Enrolment.objects.filter(user=user, course=ctx.course).update(
        last_lesson=lesson, last_activity_at=now
    )
    remaining = [
        s.lesson
        for s in ctx.progress.lessons
        if not s.done and s.lesson.pk != lesson.pk
    ]
    return LessonCompletion(
        progress=progress,
        next_lesson=remaining[0] if remaining else None,
        course=ctx.course,
    )
