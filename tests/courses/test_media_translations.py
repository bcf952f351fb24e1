"""A lesson's video or audio in the reader's language (issue 22): the English
reader gets the English version once it is ready, the Vietnamese one with a
notice otherwise; watching either counts toward the lesson, by the duration of
the version watched; the editor's form refuses what cannot be a version."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import (
    CoursePage,
    LessonMedia,
    LessonPage,
    LessonProgress,
    MediaKind,
    MediaStatus,
    MediaWatch,
)
from courses.selectors import completion_facts_get, media_unwatched_list
from courses.services import enrolment_create, lesson_complete, media_heartbeat

from ..page_state_helpers import page_state
from .media_helpers import make_clip, put_media_in_lesson, ready_media

pytestmark = pytest.mark.django_db
HEARTBEAT = "api:media_heartbeat"


def english_version(source, *, duration=20.0, status=MediaStatus.READY):
    return LessonMedia.objects.create(
        title="Lesson video",
        kind=source.kind,
        language="en",
        translation_of=source,
        original="media_originals/en.mp4",
        status=status,
        duration=duration,
        hls_master="hls/en/master.m3u8",
        fallback="hls/en/fallback.mp4",
        poster="hls/en/poster.jpg",
    )


@pytest.fixture
def lesson(build_catalog, learner):
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    enrolment_create(user=learner, course=course)
    first = LessonPage.objects.child_of(course).order_by("path").first()
    return put_media_in_lesson(first, ready_media(duration=10.0))


def vietnamese(lesson):
    return LessonMedia.objects.get(translation_of=None)


def read(client, lesson, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return re.sub(r"\s+", " ", client.get(lesson.url).content.decode())


def test_the_english_reader_gets_the_english_version(client, lesson):
    source = vietnamese(lesson)
    version = english_version(source)
    html = read(client, lesson, "en")
    assert f'data-media="{version.pk}"' in html
    assert "/media/hls/en/master.m3u8" in html
    assert "This video has not been translated" not in html
    # The Vietnamese copy of the same shared page still plays the original.
    html = read(client, lesson, "vi")
    assert f'data-media="{source.pk}"' in html
    assert "/media/hls/en/" not in html


def test_without_a_ready_version_the_english_reader_is_told(client, lesson):
    source = vietnamese(lesson)
    version = english_version(source, status=MediaStatus.PROCESSING)
    html = read(client, lesson, "en")
    assert f'data-media="{source.pk}"' in html
    assert "This video has not been translated yet: you are watching it in" in html
    # Vietnamese readers are told nothing of translations.
    assert "chưa có bản dịch" not in read(client, lesson, "vi")

    # Ready now (the end of its transcoding): the kept English page changes.
    LessonMedia.objects.filter(pk=version.pk).update(status=MediaStatus.READY)
    from courses.services import media_ready_announce

    media_ready_announce()
    html = read(client, lesson, "en")
    assert f'data-media="{version.pk}"' in html
    assert "This video has not been translated" not in html


def test_an_audio_without_version_says_listening(client, build_catalog):
    build_catalog(courses=1, lessons=1)
    lesson = LessonPage.objects.get()
    audio = ready_media(kind=MediaKind.AUDIO)
    put_media_in_lesson(lesson, audio)
    html = read(client, LessonPage.objects.get(), "en")
    assert "This audio has not been translated yet: you are listening to" in html


def test_watching_the_english_version_completes_the_lesson_by_its_duration(
    learner, lesson
):
    version = english_version(vietnamese(lesson), duration=20.0)
    t0 = timezone.now()

    def beat(seconds):
        return media_heartbeat(
            user_id=learner.pk,
            media=version,
            lesson=lesson,
            position=seconds,
            watched=seconds,
            now=t0 + timedelta(seconds=seconds),
        )

    media_heartbeat(
        user_id=learner.pk, media=version, lesson=lesson, position=0, watched=0, now=t0
    )
    # 9 s would be 90% of the Vietnamese 10 s, not of the English 20 s.
    assert not beat(9).lesson_completed
    assert media_unwatched_list(lesson=lesson, user=learner)
    assert beat(18).lesson_completed
    assert MediaWatch.objects.get().media == version
    assert LessonProgress.objects.get(lesson=lesson).completed_at is not None
    assert media_unwatched_list(lesson=lesson, user=learner) == []
    facts, _test = completion_facts_get(user=learner, course=lesson.get_parent())
    assert not facts.unwatched_media


def test_either_version_lets_the_learner_mark_the_lesson_done(learner, lesson):
    version = english_version(vietnamese(lesson), duration=20.0)
    MediaWatch.objects.create(
        user=learner,
        media=version,
        watched_seconds=18.0,
        last_heartbeat_at=timezone.now(),
    )
    result = lesson_complete(user=learner, lesson=lesson)
    assert result.newly_done
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed_at


def test_the_api_takes_the_version_and_refuses_another_lessons(client, learner, lesson):
    version = english_version(vietnamese(lesson))
    client.force_login(learner)
    payload = {"media_id": version.pk, "lesson_id": lesson.pk, "position": 1}
    response = client.post(
        reverse(HEARTBEAT), {**payload, "watched": 1}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["duration"] == 20.0
    other = LessonPage.objects.exclude(pk=lesson.pk).first()
    response = client.post(
        reverse(HEARTBEAT),
        {**payload, "lesson_id": other.pk, "watched": 1},
        content_type="application/json",
    )
    assert response.status_code == 404
    # A version still being transcoded cannot be credited.
    LessonMedia.objects.filter(pk=version.pk).update(status=MediaStatus.PROCESSING)
    response = client.post(
        reverse(HEARTBEAT), {**payload, "watched": 1}, content_type="application/json"
    )
    assert response.status_code == 404


def test_the_page_state_resumes_the_version_where_the_learner_stopped(
    client, learner, lesson
):
    version = english_version(vietnamese(lesson))
    MediaWatch.objects.create(
        user=learner, media=version, position=12.5, last_heartbeat_at=timezone.now()
    )
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    positions = page_state(client, lesson)["data"]["media_positions"]
    assert positions[str(version.pk)] == 12.5


# The editor's side ---------------------------------------------------------


def test_what_cannot_be_a_version_is_refused_in_vietnamese(lesson):
    source = vietnamese(lesson)
    version = english_version(source)

    def refused(**fields) -> str:
        media = LessonMedia(
            title="Bản dịch", kind=source.kind, original="media_originals/x.mp4"
        )
        for name, value in fields.items():
            setattr(media, name, value)
        with translation.override("vi"):
            with pytest.raises(ValidationError) as error:
                media.full_clean()
            return " ".join(error.value.messages)

    assert "phải chọn bản tiếng Việt" in refused(language="en")
    assert "khác tiếng Việt" in refused(language="vi", translation_of=source)
    assert "khác tiếng Việt" in refused(language="xx", translation_of=source)
    assert "không chọn bản dịch" in refused(language="en", translation_of=version)
    assert "cùng loại" in refused(
        language="en", translation_of=source, kind=MediaKind.AUDIO
    )
    assert "đã có bản Tiếng Anh" in refused(language="en", translation_of=source)
    # An original that has versions cannot become a version itself.
    other = ready_media()
    source.translation_of, source.language = other, "en"
    with translation.override("vi"), pytest.raises(ValidationError, match="đã có"):
        source.full_clean()


def test_the_cms_form_adds_a_version_and_refuses_hostile_fields(
    client, django_user_model, lesson, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    editor = django_user_model.objects.create_superuser(
        username="bientap", password="x", phone="+84900000999"
    )
    client.force_login(editor)
    source = vietnamese(lesson)
    clip = make_clip(tmp_path / "clip.mp4", seconds=2)
    add = reverse("wagtailsnippets_courses_lessonmedia:add")

    def post(**fields):
        upload = SimpleUploadedFile("en.mp4", clip.read_bytes())
        data = {"title": "Lesson video", "kind": "video", "original": upload}
        return client.post(add, {**data, **fields})

    form = client.get(add).content.decode()
    assert "Bản dịch của</span>" in form and "Ngôn ngữ</span>" in form
    for hostile in ("<script>alert(1)</script>", "en\x00", "vi-x" * 100):
        response = post(language=hostile, translation_of=source.pk)
        assert response.status_code == 200
        assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    response = post(language="en", translation_of="99999999999999999999")
    assert response.status_code == 200
    response = post(language="en", translation_of=source.pk)
    assert response.status_code == 302
    version = LessonMedia.objects.get(language="en")
    assert version.translation_of == source
    listing = client.get(reverse("wagtailsnippets_courses_lessonmedia:list"))
    assert "Lesson video" in listing.content.decode()
