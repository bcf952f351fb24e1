"""Reads for course pages. Each runs a fixed number of queries, whatever the
number of courses, lessons or learners."""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Substr

from .models import CatalogPage, CoursePage, Enrolment, LessonPage, LessonProgress, ProgrammePage
from .progress import LessonState, lesson_states, next_lesson, percent



@dataclass(frozen=True)
class CourseProgress:
    course: CoursePage
    enrolled: bool
    lessons: list[LessonState[LessonPage]]
    done_count: int
    total: int
    next_lesson: LessonPage | None

    @property
    def percent(self) -> int:
        return percent(self.done_count, self.total)

    @property
    def finished_lessons(self) -> bool:
        return self.total > 0 and self.done_count == self.total


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
    previous: LessonPage | None
    following: LessonPage | None


def _lessons_of(course: CoursePage):
    return (
        LessonPage.objects.live()
        .filter(path__startswith=course.path, depth=course.depth + 1)
        .order_by("path")
        .only("id", "title", "slug", "url_path", "path", "depth", "estimated_minutes",
              "summary", "required")
    )


def _done_lesson_ids(user, course: CoursePage) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonProgress.objects.filter(
            user=user, course=course, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def _is_enrolled(user, course: CoursePage) -> bool:
    return user.is_authenticated and Enrolment.objects.filter(user=user, course=course).exists()


def _course_progress(*, course: CoursePage, user, lessons: list[LessonPage]) -> CourseProgress:
    done = _done_lesson_ids(user, course)
    states = lesson_states(lessons, done=done, in_order=course.lessons_in_order)
    return CourseProgress(
        course=course,
        enrolled=_is_enrolled(user, course),
        lessons=states,
        done_count=sum(1 for s in states if s.done),
        total=len(states),
        next_lesson=next_lesson(states),
    )


def course_progress_get(*, course: CoursePage, user) -> CourseProgress:
    return _course_progress(course=course, user=user, lessons=list(_lessons_of(course)))


def lesson_context_get(*, lesson: LessonPage, user) -> LessonContext:
    course = CoursePage.objects.get(path=lesson.path[: -CoursePage.steplen])
    lessons = list(_lessons_of(course))
    progress = _course_progress(course=course, user=user, lessons=lessons)
    index = next(i for i, s in enumerate(progress.lessons) if s.lesson.pk == lesson.pk)
    return LessonContext(
        course=course,
        progress=progress,
        state=progress.lessons[index],
        previous=lessons[index - 1] if index > 0 else None,
        following=lessons[index + 1] if index + 1 < len(lessons) else None,
    )


def _course_cards(courses: list[CoursePage], user) -> list[CourseCard]:
    if not courses:
        return []
    prefix_len = len(courses[0].path)
    depth = courses[0].depth
    counts = dict(
        LessonPage.objects.live()
        .filter(depth=depth + 1, path__startswith=courses[0].path[: -CoursePage.steplen])
        .annotate(course_path=Substr("path", 1, prefix_len))
        .order_by()
        .values("course_path")
        .annotate(n=Count("id"))
        .values_list("course_path", "n")
    )
    done: dict[int, int] = {}
    enrolled: set[int] = set()
    if user.is_authenticated:
        done = dict(
            LessonProgress.objects.filter(user=user, completed_at__isnull=False)
            .values("course_id")
            .annotate(n=Count("id"))
            .values_list("course_id", "n")
        )
        enrolled = set(Enrolment.objects.filter(user=user).values_list("course_id", flat=True))
    return [
        CourseCard(
            course=course,
            lesson_count=counts.get(course.path, 0),
            done_count=done.get(course.pk, 0),
            enrolled=course.pk in enrolled,
        )
        for course in courses
    ]


@dataclass(frozen=True)
class Catalog:
    courses: list[CourseCard]
    programmes: list[ProgrammePage]


def catalog_get(*, catalog: CatalogPage, user) -> Catalog:
    courses = list(
        CoursePage.objects.live()
        .child_of(catalog)
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("topic_number", "path")
    )
    programmes = list(ProgrammePage.objects.live().child_of(catalog).order_by("path"))
    return Catalog(courses=_course_cards(courses, user), programmes=programmes)


def programme_courses_list(*, programme: ProgrammePage, user) -> list[CourseCard]:
    courses = list(
        CoursePage.objects.live()
        .filter(pk__in=programme.programme_courses.values("course_id"))
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("topic_number")
    )
    return _course_cards(courses, user)


def my_courses_list(*, user) -> list[CourseCard]:
    """The learner's enrolled courses, most recently active first."""
    if not user.is_authenticated:
        return []
    course_ids = list(
        Enrolment.objects.filter(user=user)
        .order_by("-last_activity_at")
        .values_list("course_id", flat=True)
    )
    by_id = CoursePage.objects.live().select_related("cover_image").prefetch_related(
        "cover_image__renditions").in_bulk(course_ids)
    courses = [by_id[pk] for pk in course_ids if pk in by_id]
    return _course_cards(courses, user)


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
    return course_progress_get(course=enrolment.course, user=user)

