"""JSON API of lesson video and audio (django-ninja; schema at /api/openapi.json)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from hocvuso.core.numbers import DbId, Seconds
from ninja import Router, Schema, Status

from .api_auth import SessionUserId
from .course_sites import page_on_request_site_or_404
from .models import LessonMedia, LessonPage, MediaStatus
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
    lesson = get_object_or_404(
        LessonPage.objects.live().only("id", "path", "depth", "body"),
        pk=payload.lesson_id,
    )
    page_on_request_site_or_404(request, lesson)
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
