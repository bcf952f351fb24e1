"""Reads for course pages. Each runs a fixed number of queries, whatever the
number of courses, lessons or learners: counts and the learner's state come
back as annotations on the one query that lists the pages."""

from dataclasses import dataclass, field, replace

from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet, Subquery
from wagtail.models import Page

from .models import (
    CatalogPage,
    CoursePage,
    Enrolment,
    LessonMedia,
    LessonPage,
    LessonProgress,
    MediaWatch,
    ProgrammePage,
)
from .progress import LessonState, lesson_states, next_lesson, percent


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery, usable as an annotation."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


@dataclass(frozen=True)
class CourseProgress:
    course: CoursePage
    enrolled: bool
    lessons: list[LessonState[LessonPage]]
    done_count: int
    total: int
    next_lesson: LessonPage | None
    # Other steps of the course, such as its final test (pages of other apps).
    extras: list[Page] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return percent(self.done_count, self.total)


@dataclass(frozen=True)
class CourseCard:
    course: CoursePage
    lesson_count: int
    done_count: int
    enrolled: bool

    @property
    def percent(self) -> int:
        return percent(self.done_count, self.lesson_count)


@dataclass(frozen=True)
class LessonContext:
    course: CoursePage
    progress: CourseProgress
    state: LessonState[LessonPage]
    opened: bool
    previous: LessonPage | None
    following: LessonPage | None


def _lessons_with_state(course: CoursePage, user) -> list[LessonPage]:
    lessons = (
        LessonPage.objects.live()
        .filter(path__startswith=course.path, depth=course.depth + 1)
        .order_by("path")
        .only(
            "id",
            "title",
            "slug",
            "url_path",
            "path",
            "depth",
            "estimated_minutes",
            "summary",
            "required",
        )
    )
    if user.is_authenticated:
        mine = LessonProgress.objects.filter(user=user, lesson=OuterRef("pk"))
        lessons = lessons.annotate(
            is_done=Exists(mine.filter(completed_at__isnull=False)),
            is_opened=Exists(mine),
        )
    return list(lessons)


def _progress(
    *, course: CoursePage, enrolled: bool, lessons: list[LessonPage]
) -> CourseProgress:
    done = {lesson.pk for lesson in lessons if getattr(lesson, "is_done", False)}
    states = lesson_states(lessons, done=done, in_order=course.lessons_in_order)
    return CourseProgress(
        course=course,
        enrolled=enrolled,
        lessons=states,
        done_count=len(done),
        total=len(states),
        next_lesson=next_lesson(states),
    )


def _enrolled(user) -> Exists:
    return Exists(Enrolment.objects.filter(user=user, course=OuterRef("pk")))


def course_progress_get(*, course: CoursePage, user) -> CourseProgress:
    enrolled = (
        user.is_authenticated
        and Enrolment.objects.filter(user=user, course=course).exists()
    )
    progress = _progress(
        course=course, enrolled=enrolled, lessons=_lessons_with_state(course, user)
    )
    extras = list(
        Page.objects.live()
        .child_of(course)
        .not_type(LessonPage)
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth")
    )
    return replace(progress, extras=extras)


def lesson_context_get(*, lesson: LessonPage, user) -> LessonContext:
    courses = CoursePage.objects.filter(path=lesson.path[: -CoursePage.steplen])
    if user.is_authenticated:
        courses = courses.annotate(is_enrolled=_enrolled(user))
    course = courses.get()
    lessons = _lessons_with_state(course, user)
    progress = _progress(
        course=course, enrolled=getattr(course, "is_enrolled", False), lessons=lessons
    )
    index = next(i for i, s in enumerate(progress.lessons) if s.lesson.pk == lesson.pk)
    return LessonContext(
        course=course,
        progress=progress,
        state=progress.lessons[index],
        opened=getattr(lessons[index], "is_opened", False),
        previous=lessons[index - 1] if index > 0 else None,
        following=lessons[index + 1] if index + 1 < len(lessons) else None,
    )


def _cards(courses: QuerySet[CoursePage], user) -> list[CourseCard]:
    lessons = LessonPage.objects.live().filter(
        path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
    )
    courses = courses.annotate(lesson_count=SubqueryCount(lessons.values("pk")))
    if user.is_authenticated:
        done = LessonProgress.objects.filter(
            user=user, course=OuterRef("pk"), completed_at__isnull=False
        )
        courses = courses.annotate(
            done_count=SubqueryCount(done.values("pk")), is_enrolled=_enrolled(user)
        )
    courses = courses.select_related("cover_image").prefetch_related(
        "cover_image__renditions"
    )
    return [
        CourseCard(
            course=course,
            lesson_count=course.lesson_count,
            done_count=getattr(course, "done_count", 0),
            enrolled=getattr(course, "is_enrolled", False),
        )
        for course in courses
    ]


@dataclass(frozen=True)
class Catalog:
    courses: list[CourseCard]
    programmes: list[ProgrammePage]


def catalog_get(*, catalog: CatalogPage, user) -> Catalog:
    courses = (
        CoursePage.objects.live().child_of(catalog).order_by("topic_number", "path")
    )
    programmes = list(ProgrammePage.objects.live().child_of(catalog).order_by("path"))
    return Catalog(courses=_cards(courses, user), programmes=programmes)


def programme_courses_list(*, programme: ProgrammePage, user) -> list[CourseCard]:
    courses = (
        CoursePage.objects.live()
        .filter(pk__in=programme.programme_courses.values("course_id"))
        .order_by("topic_number")
    )
    return _cards(courses, user)


def my_courses_list(*, user) -> list[CourseCard]:
    """The learner's enrolled courses, most recently active first."""
    if not user.is_authenticated:
        return []
    courses = (
        CoursePage.objects.live()
        .filter(enrolments__user=user)
        .order_by("-enrolments__last_activity_at")
    )
    return _cards(courses, user)


def continue_learning_get(*, user) -> CourseProgress | None:
    """The course the learner touched last and its next lesson ("Tiếp tục học")."""
    if not user.is_authenticated:
        return None
    enrolment = (
        Enrolment.objects.filter(user=user, course__live=True)
        .select_related("course")
        .order_by("-last_activity_at")
        .first()
    )
    if enrolment is None:
        return None
    return _progress(
        course=enrolment.course,
        enrolled=True,
        lessons=_lessons_with_state(enrolment.course, user),
    )


MEDIA_BLOCK_TYPES = ("video", "audio")
# A required video or audio counts as watched at 90% of its duration.
COMPLETION_SHARE = 0.9


def lesson_media_flags(*, lesson: LessonPage) -> dict[int, bool]:
    """The media of a lesson's body, each with its "required" flag. Reads the
    stored JSON, so it costs no query."""
    media: dict[int, bool] = {}
    for block in lesson.body.raw_data:
        value = block.get("value") or {}
        if block.get("type") in MEDIA_BLOCK_TYPES and value.get("media"):
            media[value["media"]] = media.get(value["media"], False) or bool(
                value.get("required")
            )
    return media


def media_positions_get(*, lesson: LessonPage, user) -> dict[int, float]:
    """Where the learner stopped in each media of the lesson (one query, none
    when the lesson has no media)."""
    ids = lesson_media_flags(lesson=lesson)
    if not ids or not user.is_authenticated:
        return {}
    return dict(
        MediaWatch.objects.filter(user=user, media_id__in=ids).values_list(
            "media_id", "position"
        )
    )


def media_unwatched_list(*, lesson: LessonPage, user) -> list[LessonMedia]:
    """The lesson's required media the learner has not watched 90% of (no
    query when the lesson has none)."""
    required = [pk for pk, flag in lesson_media_flags(lesson=lesson).items() if flag]
    if not required:
        return []
    watched = MediaWatch.objects.filter(
        user=user,
        media=OuterRef("pk"),
        watched_seconds__gte=F("media__duration") * COMPLETION_SHARE,
    )
    return list(
        LessonMedia.objects.filter(pk__in=required)
        .exclude(Exists(watched))
        .only("id", "title")
    )
