"""Reads for course pages. Each runs a fixed number of queries, whatever the
number of courses, lessons or learners. The page structure (a course and its
lessons) is kept under the page-tree generation (page_cache); only the
learner's own rows are read on each request."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.models import Page

from .completion import CompletionFacts
from .course_sites import courses_on_site
from .learner_rows import LearnerRows, learner_rows_get
from .media_versions import version_ids, watched_any_version
from .models import (
    CatalogPage,
    ContentPackage,
    CourseCompletion,
    CoursePage,
    Enrolment,
    GlossaryPage,
    LessonMedia,
    LessonPage,
    LessonProgress,
    MediaWatch,
    PackageAttempt,
    ProgrammeCompletion,
    ProgrammeCourse,
    ProgrammePage,
)
from .page_cache import cached
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
    # The course is completed (its test passed): "Đã hoàn thành", not "Tiếp tục".
    completed: bool = False

    @property
    def percent(self) -> int:
        return percent(self.done_count, self.total)


@dataclass(frozen=True)
class CourseCard:
    course: CoursePage
    lesson_count: int
    done_count: int
    enrolled: bool
    due_on: date | None = None  # the course is required by this date

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
    # The enrolment already says this lesson, recently: viewing it again
    # need not write the resume position (lesson_open).
    resume_is_current: bool = False
    # Where the learner stopped in each of the lesson's videos and audios.
    media_positions: dict[int, float] = field(default_factory=dict)
    # Page id → address, for the course and its lessons (kept with the
    # outline: Wagtail's page.url costs a cache round trip each time).
    urls: dict[int, str] = field(default_factory=dict)


class CourseOutline(NamedTuple):
    lessons: list[LessonPage]
    extras: list[Page]  # the other steps: the final test
    urls: dict[int, str]


def _course_outline(course: CoursePage) -> CourseOutline:
    """The course's live lessons and its other steps (the final test), kept
    under the page-tree generation: they change only when an editor edits.
    Shared by the process's threads: nothing may change them."""

    def compute() -> CourseOutline:
        lessons = list(
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
        extras = list(
            Page.objects.live()
            .child_of(course)
            .not_type(LessonPage)
            .order_by("path")
            .only("id", "title", "url_path", "path", "depth")
        )
        urls = {page.pk: page.url for page in [course, *lessons, *extras]}
        return CourseOutline(lessons, extras, urls)

    return cached(f"course-outline:{course.pk}", compute, in_process=True)


def _progress_rows(lessons: list[LessonPage], user) -> dict[int, datetime | None]:
    """Lesson id → completed_at (None: opened, not done) of the learner's
    progress rows for these lessons: one query."""
    if not user.is_authenticated:
        return {}
    return dict(
        LessonProgress.objects.filter(
            user=user, lesson_id__in=[lesson.pk for lesson in lessons]
        ).values_list("lesson_id", "completed_at")
    )


def _is_enrolled(course: CoursePage, user) -> bool:
    return (
        user.is_authenticated
        and Enrolment.objects.filter(user=user, course=course).exists()
    )


def _course_at(path: str) -> CoursePage:
    return cached(
        f"course:{path}", lambda: CoursePage.objects.get(path=path), in_process=True
    )


def _progress(
    *,
    course: CoursePage,
    enrolled: bool,
    lessons: list[LessonPage],
    rows: dict[int, datetime | None],
) -> CourseProgress:
    done = {pk for pk, completed_at in rows.items() if completed_at is not None}
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
    enrolled = _is_enrolled(course, user)
    lessons, extras, _urls = _course_outline(course)
    progress = _progress(
        course=course,
        enrolled=enrolled,
        lessons=lessons,
        rows=_progress_rows(lessons, user),
    )
    return replace(progress, extras=extras)


RESUME_WRITE_EVERY = timedelta(minutes=5)


def lesson_context_get(*, lesson: LessonPage, user) -> LessonContext:
    course = _course_at(lesson.path[: -CoursePage.steplen])
    lessons, _extras, urls = _course_outline(course)
    if user.is_authenticated:
        media = list(lesson_media_flags(lesson=lesson))
        rows = learner_rows_get(
            user_id=user.pk,
            course_id=course.pk,
            lesson_ids=[each.pk for each in lessons],
            # The positions in each language's version too (no query).
            media_ids=[*media, *version_ids(media)],
        )
    else:
        rows = LearnerRows(enrolled=False, resume=None, progress={}, media_positions={})
    progress = _progress(
        course=course, enrolled=rows.enrolled, lessons=lessons, rows=rows.progress
    )
    index = next(i for i, s in enumerate(progress.lessons) if s.lesson.pk == lesson.pk)
    resume = rows.resume
    return LessonContext(
        course=course,
        progress=progress,
        state=progress.lessons[index],
        opened=lesson.pk in rows.progress,
        previous=lessons[index - 1] if index > 0 else None,
        following=lessons[index + 1] if index + 1 < len(lessons) else None,
        resume_is_current=resume is not None
        and resume[0] == lesson.pk
        and resume[1] is not None
        and resume[1] > timezone.now() - RESUME_WRITE_EVERY,
        media_positions=rows.media_positions,
        urls=urls,
    )


def glossary_url_get() -> str:
    """The glossary's address for the "Thuật ngữ" link on every lesson; read
    once per page-tree generation, not on every lesson view."""

    def compute() -> str:
        page = GlossaryPage.objects.live().first()
        return page.url if page else ""

    return cached("glossary-url", compute)


def due_dates_get(*, user) -> dict[int, date]:
    """Course id → due date of the courses the learner is required to take.

    Who must take what is decided outside this app (organisation units and
    teams); settings.COURSES_DUE_DATES names the function that knows, so
    courses imports no other domain app.
    """
    selector = getattr(settings, "COURSES_DUE_DATES", "")
    if not selector or not user.is_authenticated:
        return {}
    return import_string(selector)(user=user)


def _cards(
    courses: QuerySet[CoursePage], user, due: dict[int, date] | None = None
) -> list[CourseCard]:
    if due is None:
        due = due_dates_get(user=user)
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
            due_on=due.get(course.pk),
        )
        for course in courses
    ]


@dataclass(frozen=True)
class Catalog:
    courses: list[CourseCard]
    programmes: list[ProgrammePage]


def catalog_get(*, catalog: CatalogPage, user, site_id: int | None) -> Catalog:
    """The catalogue as read on the site `site_id`: the shared courses and
    the site's own (course_sites.py)."""
    courses = courses_on_site(
        CoursePage.objects.live().child_of(catalog), site_id
    ).order_by("topic_number", "path")
    programmes = list(ProgrammePage.objects.live().child_of(catalog).order_by("path"))
    return Catalog(courses=_cards(courses, user), programmes=programmes)


def programme_courses_list(
    *, programme: ProgrammePage, user, site_id: int | None
) -> list[CourseCard]:
    courses = courses_on_site(
        CoursePage.objects.live().filter(
            pk__in=programme.programme_courses.values("course_id")
        ),
        site_id,
    ).order_by("topic_number")
    return _cards(courses, user)


def my_courses_list(*, user, site_id: int | None) -> list[CourseCard]:
    """The learner's enrolled and required courses, most recently active first,
    then the required ones not started yet."""
    if not user.is_authenticated:
        return []
    due = due_dates_get(user=user)
    last_activity = Enrolment.objects.filter(user=user, course=OuterRef("pk")).values(
        "last_activity_at"
    )[:1]
    courses = (
        courses_on_site(CoursePage.objects.live(), site_id)
        .filter(
            Q(pk__in=Enrolment.objects.filter(user=user).values("course_id"))
            | Q(pk__in=list(due))
        )
        .annotate(last_activity_at=Subquery(last_activity))
        .order_by(F("last_activity_at").desc(nulls_last=True), "topic_number")
    )
    return _cards(courses, user, due)


def courses_completed_user_ids(*, course_ids: list[int], users: QuerySet) -> set[int]:
    """Of `users`, those who completed every required lesson of every course in
    `course_ids`: two aggregate queries whatever the number of learners."""
    required = dict(
        CoursePage.objects.filter(pk__in=course_ids)
        .annotate(
            required=SubqueryCount(
                LessonPage.objects.live()
                .filter(
                    path__startswith=OuterRef("path"),
                    depth=OuterRef("depth") + 1,
                    required=True,
                )
                .values("pk")
            )
        )
        .values_list("pk", "required")
    )
    done = (
        LessonProgress.objects.filter(
            course_id__in=course_ids,
            user__in=users,
            completed_at__isnull=False,
            lesson__required=True,
            lesson__live=True,
        )
        .values("user_id", "course_id")
        .annotate(n=Count("lesson_id"))
    )
    finished: dict[int, set[int]] = {}
    for row in done:
        if row["n"] >= required.get(row["course_id"], 0):
            finished.setdefault(row["user_id"], set()).add(row["course_id"])
    empty = {pk for pk, count in required.items() if count == 0}
    wanted = set(required) - empty
    if not wanted:
        return set(users.values_list("pk", flat=True))
    return {user_id for user_id, got in finished.items() if wanted <= got}


def continue_learning_get(*, user, site_id: int | None) -> CourseProgress | None:
    """The course the learner touched last and its next lesson ("Tiếp tục học")."""
    if not user.is_authenticated:
        return None
    enrolment = (
        Enrolment.objects.filter(user=user, course__live=True)
        .filter(Q(course__owner_site__isnull=True) | Q(course__owner_site_id=site_id))
        .select_related("course")
        .annotate(
            course_completed=Exists(
                CourseCompletion.objects.filter(user=user, course=OuterRef("course"))
            )
        )
        .order_by("-last_activity_at")
        .first()
    )
    if enrolment is None:
        return None
    lessons = _course_outline(enrolment.course).lessons
    progress = _progress(
        course=enrolment.course,
        enrolled=True,
        lessons=lessons,
        rows=_progress_rows(lessons, user),
    )
    return replace(progress, completed=enrolment.course_completed)


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


def media_unwatched_list(*, lesson: LessonPage, user) -> list[LessonMedia]:
    """The lesson's required media the learner has not watched 90% of (no
    query when the lesson has none)."""
    required = [pk for pk, flag in lesson_media_flags(lesson=lesson).items() if flag]
    if not required:
        return []
    # Any language's version counts, against its own duration.
    watched = MediaWatch.objects.filter(
        watched_any_version(OuterRef("pk")),
        user=user,
        watched_seconds__gte=F("media__duration") * COMPLETION_SHARE,
    )
    return list(
        LessonMedia.objects.filter(pk__in=required)
        .exclude(Exists(watched))
        .only("id", "title")
    )


PACKAGE_BLOCK_TYPE = "package"


def lesson_package_flags(*, lesson: LessonPage) -> dict[int, bool]:
    """The content packages of a lesson's body, each with its "required"
    flag. Reads the stored JSON, so it costs no query."""
    packages: dict[int, bool] = {}
    for block in lesson.body.raw_data:
        value = block.get("value") or {}
        if block.get("type") == PACKAGE_BLOCK_TYPE and value.get("package"):
            pk = value["package"]
            packages[pk] = packages.get(pk, False) or bool(value.get("required"))
    return packages


def package_resume_get(
    *, user_id: int, package_id: int, lesson: LessonPage
) -> PackageAttempt | None:
    """What the learner's last visit to a package of this lesson left (its
    status, score and saved state), or None: never started, or not a package
    of this lesson."""
    if package_id not in lesson_package_flags(lesson=lesson):
        return None
    return PackageAttempt.objects.filter(user_id=user_id, package_id=package_id).first()


def _packages_unfinished(*, user, package_ids: set[int]) -> QuerySet:
    finished = PackageAttempt.objects.filter(
        user=user, package=OuterRef("pk"), completed_at__isnull=False
    )
    return ContentPackage.objects.filter(pk__in=package_ids).exclude(Exists(finished))


def packages_unfinished_list(*, lesson: LessonPage, user) -> list[ContentPackage]:
    """The lesson's required packages that have not reported "completed" or
    "passed" for the learner (no query when the lesson has none)."""
    required = {pk for pk, flag in lesson_package_flags(lesson=lesson).items() if flag}
    if not required:
        return []
    return list(
        _packages_unfinished(user=user, package_ids=required).only("id", "title")
    )


# --- Completion -----------------------------------------------------------------


@dataclass(frozen=True)
class FinalTest:
    """What the course's counting final test(s) say about one learner."""

    exists: bool = False
    passed: bool = False
    score_percent: float | None = None


def final_test_get(*, user, course: CoursePage) -> FinalTest:
    """Asked of the app that owns tests (quizzes), named in
    settings.COURSES_FINAL_TEST, so courses imports no other domain app."""
    selector = getattr(settings, "COURSES_FINAL_TEST", "")
    if not selector:
        return FinalTest()
    return import_string(selector)(user=user, course=course)


def completion_facts_get(
    *, user, course: CoursePage
) -> tuple[CompletionFacts, FinalTest]:
    """The plain data the completion rule needs (five queries at most)."""
    lessons = list(
        LessonPage.objects.live()
        .filter(path__startswith=course.path, depth=course.depth + 1, required=True)
        .only("id", "body")
    )
    done = set(
        LessonProgress.objects.filter(
            user=user, course=course, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    media = {
        pk
        for lesson in lessons
        for pk, required in lesson_media_flags(lesson=lesson).items()
        if required
    }
    unwatched: set[int] = set()
    if media:
        # Any language's version counts, against its own duration.
        watched = MediaWatch.objects.filter(
            watched_any_version(OuterRef("pk")),
            user=user,
            watched_seconds__gte=F("media__duration") * COMPLETION_SHARE,
        )
        unwatched = set(
            LessonMedia.objects.filter(pk__in=media)
            .exclude(Exists(watched))
            .values_list("pk", flat=True)
        )
    packages = {
        pk
        for lesson in lessons
        for pk, required in lesson_package_flags(lesson=lesson).items()
        if required
    }
    unfinished: set[int] = set()
    if packages:
        unfinished = set(
            _packages_unfinished(user=user, package_ids=packages).values_list(
                "pk", flat=True
            )
        )
    test = final_test_get(user=user, course=course)
    facts = CompletionFacts(
        required_lessons=frozenset(lesson.pk for lesson in lessons),
        done_lessons=frozenset(done),
        unwatched_media=frozenset(unwatched),
        unfinished_packages=frozenset(unfinished),
        has_test=test.exists,
        test_passed=test.passed,
    )
    return facts, test


def course_completion_get(*, course: CoursePage, user) -> CourseCompletion | None:
    if not user.is_authenticated:
        return None
    return CourseCompletion.objects.filter(user=user, course=course).first()


def programmes_of_course_list(*, course: CoursePage) -> dict[int, set[int]]:
    """Programme id → its course ids, for the programmes containing `course`."""
    programme_ids = ProgrammeCourse.objects.filter(course=course).values("programme_id")
    rows = ProgrammeCourse.objects.filter(
        programme_id__in=programme_ids, programme__live=True, course__live=True
    ).values_list("programme_id", "course_id")
    courses: dict[int, set[int]] = {}
    for programme_id, course_id in rows:
        courses.setdefault(programme_id, set()).add(course_id)
    return courses


def completed_course_ids(*, user, course_ids: set[int]) -> set[int]:
    return set(
        CourseCompletion.objects.filter(
            user=user, course_id__in=course_ids
        ).values_list("course_id", flat=True)
    )


def programme_completed(*, user, programme_id: int) -> bool:
    return ProgrammeCompletion.objects.filter(
        user=user, programme_id=programme_id
    ).exists()
