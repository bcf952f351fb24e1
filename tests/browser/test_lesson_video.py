"""A learner on a 360 px phone plays a lesson video through hls.js; the
player's heartbeats are recorded and the lesson completes at 90% watched."""

import pytest
from django.conf import settings
from django.test import Client

from courses.models import CoursePage, LessonPage, LessonProgress, MediaWatch
from courses.services import enrolment_create, media_create

from ..courses.media_helpers import make_clip, put_media_in_lesson
from .conftest import screenshot, wait_for_js

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def video_lesson(build_catalog, learner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_HEARTBEAT_SECONDS = 15
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    enrolment_create(user=learner, course=course)
    clip = make_clip(tmp_path / "clip.mp4", seconds=7)
    media = media_create(title="Video bài 1", kind="video", path=clip)
    media.refresh_from_db()
    assert media.ready, media.failure_reason  # transcoded on commit (eager)
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    return put_media_in_lesson(lesson, media), media


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": live_server.url,
            }
        ]
    )


def test_video_plays_through_hlsjs_and_completes_the_lesson(
    live_server, phone, learner, video_lesson
):
    lesson, media = video_lesson
    page = phone
    _log_in(page, live_server, learner)
    heartbeats = []
    page.on(
        "response",
        lambda r: heartbeats.append(r.status) if "/heartbeat" in r.url else None,
    )
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(live_server.url + lesson.url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Nothing of the player or the stream before play: the poster only.
    streamed = (".m3u8", ".ts", ".mp4", "hls.light.min.js")
    assert not [u for u in fetched if u.endswith(streamed)]
    assert any(u.endswith("poster.jpg") for u in fetched)

    page.evaluate(
        "() => { const v = document.querySelector('video'); v.muted = true; v.play(); }"
    )
    page.locator('[data-player][data-engine="hls.js"]').wait_for()
    wait_for_js(page, "document.querySelector('video').currentTime > 1")
    assert page.evaluate("document.querySelector('video').src").startswith("blob:")
    wait_for_js(
        page, "document.querySelector('video').ended", timeout=30_000, every=500
    )
    page.locator("[data-player-done]").wait_for(state="visible")
    screenshot(page, "lesson-video-done")

    assert heartbeats and set(heartbeats) == {200}
    watch = MediaWatch.objects.get(user=learner, media=media)
    assert watch.watched_seconds >= 0.9 * media.duration
    assert (
        LessonProgress.objects.get(user=learner, lesson=lesson).completed_at is not None
    )

    page.reload()  # the lesson now shows as done
    page.get_by_text("Bạn đã hoàn thành bài này.").wait_for()


def test_the_english_reader_watches_the_english_version_and_completes(
    live_server, phone, learner, video_lesson, tmp_path
):
    lesson, vietnamese = video_lesson
    english_clip = make_clip(tmp_path / "english.mp4", seconds=5)
    english = media_create(
        title="Lesson 1 video",
        kind="video",
        path=english_clip,
        translation_of=vietnamese,
        language="en",
    )
    english.refresh_from_db()
    assert english.ready, english.failure_reason
    page = phone
    _log_in(page, live_server, learner)
    page.context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": "en",
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + lesson.url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    player = page.locator("[data-player]")
    assert player.get_attribute("data-media") == str(english.pk)
    assert "This video has not been translated" not in page.inner_text("main")

    page.evaluate(
        "() => { const v = document.querySelector('video'); v.muted = true; v.play(); }"
    )
    wait_for_js(
        page, "document.querySelector('video').ended", timeout=30_000, every=500
    )
    page.locator("[data-player-done]").wait_for(state="visible")
    screenshot(page, "lesson-video-english-done")
    # Credited to the English version, by its own 5 s; the Vietnamese 7 s
    # one was never played.
    watch = MediaWatch.objects.get(user=learner)
    assert watch.media_id == english.pk
    assert watch.watched_seconds >= 0.9 * english.duration
    assert (
        LessonProgress.objects.get(user=learner, lesson=lesson).completed_at is not None
    )
    page.reload()
    page.get_by_text("You have completed this lesson.").wait_for()
