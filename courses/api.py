"""JSON API of lesson video and audio and of content packages (django-ninja;
schema at /api/openapi.json)."""

from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from hocvuso.core.numbers import DbId, Seconds
from hocvuso.core.text import opaque_text_check
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator

from .api_auth import SessionUserId
from .course_sites import page_on_request_site_or_404
from .models import ContentPackage, LessonMedia, LessonPage, MediaStatus
from .package_services import PackageNotInLesson, package_report
from .selectors import package_resume_get
from .services import (
    LessonLocked,
    MediaNotInLesson,
    NotEnrolled,
    media_heartbeat,
)

router = Router(auth=SessionUserId(), tags=["Video và âm thanh"])


class HeartbeatIn(Schema):
    media_id: DbId
    lesson_id: DbId
    position: Seconds
    watched: Seconds


class HeartbeatOut(Schema):
    watched_seconds: float
    duration: float
    percent: int
    lesson_completed: bool


class Problem(Schema):
    detail: str


def _lesson_here(request, lesson_id: int) -> LessonPage:
    """The live lesson, if it can be read on this request's site (a province's
    own course is not), or 404."""
    lesson = get_object_or_404(
        LessonPage.objects.live().only("id", "path", "depth", "body"), pk=lesson_id
    )
    page_on_request_site_or_404(request, lesson)
    return lesson


@router.post(
    "/media/heartbeat",
    response={200: HeartbeatOut, 403: Problem, 404: Problem},
    url_name="media_heartbeat",
)
def heartbeat(request, payload: HeartbeatIn):
    media = get_object_or_404(
        LessonMedia.objects.only("id", "duration", "translation_of_id"),
        pk=payload.media_id,
        status=MediaStatus.READY,
    )
    lesson = _lesson_here(request, payload.lesson_id)
    try:
        beat = media_heartbeat(
            user_id=request.auth,
            media=media,
            lesson=lesson,
            position=payload.position,
            watched=payload.watched,
        )
    except MediaNotInLesson:
        return Status(404, {"detail": _("Bài học này không có video đó.")})
    except NotEnrolled:
        return Status(403, {"detail": _("Bạn chưa đăng ký khóa học này.")})
    except LessonLocked as locked:
        return Status(403, {"detail": str(locked)})
    return {
        "watched_seconds": beat.watched_seconds,
        "duration": beat.duration,
        "percent": beat.percent,
        "lesson_completed": beat.lesson_completed,
    }


# SCORM 1.2's cmi.core.lesson_status vocabulary (models.PackageStatus).
PackageStatusIn = Literal[
    "not attempted", "browsed", "incomplete", "failed", "completed", "passed"
]


# SCORM 2004's limits, the larger edition's (1.2 allows 4,096 and 255).
SUSPEND_DATA_MAX = 64_000
LOCATION_MAX = 1000
SuspendData = Annotated[
    str, Field(max_length=SUSPEND_DATA_MAX), AfterValidator(opaque_text_check)
]
Location = Annotated[
    str, Field(max_length=LOCATION_MAX), AfterValidator(opaque_text_check)
]


class PackageReportIn(Schema):
    """What the lesson page relays from a package's runtime (LMSCommit,
    LMSFinish): hostile input, so only the vocabulary and 0–100 pass, and
    saved state only within SCORM's lengths and storable."""

    package_id: DbId
    lesson_id: DbId
    status: PackageStatusIn
    score: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)
    suspend_data: SuspendData | None = None
    location: Location | None = None


class PackageReportOut(Schema):
    status: str
    score: float | None
    lesson_completed: bool


@router.post(
    "/packages/report",
    response={200: PackageReportOut, 403: Problem, 404: Problem},
    url_name="package_report",
    tags=["Gói nội dung"],
)
def package_report_view(request, payload: PackageReportIn):
    package = get_object_or_404(
        ContentPackage.objects.only("id"), pk=payload.package_id
    )
    lesson = _lesson_here(request, payload.lesson_id)
    try:
        report = package_report(
            user_id=request.auth,
            package=package,
            lesson=lesson,
            status=payload.status,
            score=payload.score,
            suspend_data=payload.suspend_data,
            location=payload.location,
        )
    except PackageNotInLesson:
        return Status(404, {"detail": _("Bài học này không có gói nội dung đó.")})
    except NotEnrolled:
        return Status(403, {"detail": _("Bạn chưa đăng ký khóa học này.")})
    except LessonLocked as locked:
        return Status(403, {"detail": str(locked)})
    return {
        "status": report.status,
        "score": report.score,
        "lesson_completed": report.lesson_completed,
    }


class PackageResumeOut(Schema):
    status: str
    score: float | None
    suspend_data: str
    location: str


@router.get(
    "/packages/resume",
    response={200: PackageResumeOut, 404: Problem},
    url_name="package_resume",
    tags=["Gói nội dung"],
)
def package_resume_view(request, package_id: DbId, lesson_id: DbId):
    """Where the learner left the package, for the lesson page to hand to
    the package's runtime before it starts; 404 when never started."""
    lesson = _lesson_here(request, lesson_id)
    attempt = package_resume_get(
        user_id=request.auth, package_id=package_id, lesson=lesson
    )
    if attempt is None:
        return Status(404, {"detail": _("Bạn chưa học gói nội dung này.")})
    return {
        "status": attempt.status,
        "score": attempt.score,
        "suspend_data": attempt.suspend_data,
        "location": attempt.location,
    }
