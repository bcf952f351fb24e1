"""Heartbeats credit watched time by the server's clock; a required video
completes its lesson at 90%."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    CoursePage,
    LessonMedia,
    LessonPage,
    LessonProgress,
    MediaWatch,
)
from courses.services import enrolment_create, media_heartbeat

from ..page_state_helpers import page_state
from .media_helpers import put_media_in_lesson, ready_media

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(build_catalog, learner):
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    enrolment_create(user=learner, course=course)
    first = LessonPage.objects.child_of(course).order_by("path").first()
    return put_media_in_lesson(first, ready_media(duration=10.0))


def _media(lesson):
    return LessonMedia.objects.get()


def _beat(learner, lesson, *, watched, at, position=0.0):
    return media_heartbeat(
        user_id=learner.pk,
        media=_media(lesson),
        lesson=lesson,
        position=position,
        watched=watched,
        now=at,
    )


def test_client_cannot_claim_more_than_the_time_that_passed(learner, lesson):
    t0 = timezone.now()
    assert _beat(learner, lesson, watched=600, at=t0).watched_seconds == 2  # tolerance
    beat = _beat(learner, lesson, watched=600, at=t0 + timedelta(seconds=3))
    assert beat.watched_seconds == 2 + 3 + 2
    beat = _beat(learner, lesson, watched=-50, at=t0 + timedelta(seconds=4))
    assert beat.watched_seconds == 7  # nothing negative either
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_api_caps_inflated_heartbeats(client, learner, lesson):
    client.force_login(learner)
    url = reverse("api:media_heartbeat")
    payload = {
        "media_id": _media(lesson).pk,
        "lesson_id": lesson.pk,
        "position": 9.5,
        "watched": 9.5,
    }
    first = client.post(url, payload, content_type="application/json").json()
    second = client.post(url, payload, content_type="application/json").json()
    # two calls in a fraction of a second: at most the tolerance each time
    assert first["watched_seconds"] <= 2
    assert second["watched_seconds"] < 5
    assert second["lesson_completed"] is False
    watch = MediaWatch.objects.get()
    assert watch.position == 9.5


def test_required_video_completes_the_lesson_at_90_percent(learner, lesson):
    t0 = timezone.now()
    _beat(learner, lesson, watched=0, at=t0)
    beat = _beat(learner, lesson, watched=6, at=t0 + timedelta(seconds=6))
    assert beat.percent == 60 and not beat.lesson_completed
    beat = _beat(learner, lesson, watched=3, at=t0 + timedelta(seconds=9))
    assert beat.percent == 90 and beat.lesson_completed
    progress = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert progress.completed_at is not None


def test_optional_video_does_not_complete_the_lesson(learner, build_catalog):
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    enrolment_create(user=learner, course=course)
    lesson = put_media_in_lesson(
        LessonPage.objects.child_of(course).get(), ready_media(), required=False
    )
    t0 = timezone.now()
    _beat(learner, lesson, watched=0, at=t0)
    beat = _beat(learner, lesson, watched=10, at=t0 + timedelta(seconds=10))
    assert beat.percent == 100 and not beat.lesson_completed


def test_heartbeat_needs_login_and_a_media_of_that_lesson(client, learner, lesson):
    url = reverse("api:media_heartbeat")
    payload = {
        "media_id": _media(lesson).pk,
        "lesson_id": lesson.pk,
        "position": 1,
        "watched": 1,
    }
    assert client.post(url, payload, content_type="application/json").status_code == (
        401
    )
    client.force_login(learner)
    other = LessonPage.objects.exclude(pk=lesson.pk).first()
    response = client.post(
        url, {**payload, "lesson_id": other.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "Bài học này không có video đó."


def test_lesson_page_plays_and_resumes(client, learner, lesson):
    MediaWatch.objects.create(
        user=learner,
        media=_media(lesson),
        position=42.7,
        last_heartbeat_at=timezone.now(),
    )
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "<video controls playsinline" in html
    # The page is shared; where this learner stopped comes with its state.
    media = _media(lesson)
    assert f'data-media="{media.pk}"' in html
    assert page_state(client, lesson)["data"]["media_positions"] == {
        str(media.pk): 42.7
    }
    assert "courses/vendor/hlsjs/hls.light.min.js" in html
    assert (
        "/media/hls/0/master.m3u8" in html
        and 'poster="/media/hls/0/poster.jpg"' in html
    )
    assert "Xem hoặc nghe ít nhất 90% để hoàn thành bài" in html


def test_the_button_cannot_skip_a_required_video(client, learner, lesson):
    client.force_login(learner)
    response = client.post(reverse("lesson_mark_done", args=[lesson.pk]))
    assert response["Location"] == lesson.url
    assert (
        "Hãy xem hoặc nghe ít nhất 90% “Video thử”"
        in (page_state(client, lesson)["parts"]["messages"])
    )
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_heartbeat_for_a_lesson_not_enrolled_in_stores_nothing(
    client, make_learner, lesson
):
    stranger = make_learner(username="khach")
    client.force_login(stranger)
    response = client.post(
        reverse("api:media_heartbeat"),
        {
            "media_id": _media(lesson).pk,
            "lesson_id": lesson.pk,
            "position": 5,
            "watched": 5,
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn chưa đăng ký khóa học này."
    assert not MediaWatch.objects.filter(user=stranger).exists()
