"""seed_demo gives every course a generated video and a spoken summary,
transcoded by the same service; a second run changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

from courses.models import CoursePage, LessonMedia, LessonPage, MediaStatus
from courses.selectors import lesson_media_flags

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_every_course_gets_a_video_and_an_audio_lesson(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    # The seven shared courses; Huế's own demo course has neither.
    courses = list(CoursePage.objects.filter(owner_site=None).order_by("topic_number"))
    assert len(courses) == 7
    # Two per course, and topic 2's summary also in English (its sample
    # translation's language).
    assert LessonMedia.objects.filter(status=MediaStatus.READY).count() == 15
    english = LessonMedia.objects.get(language="en")
    assert english.kind == "audio" and english.ready
    assert english.translation_of.title == "Nghe tóm tắt chuyên đề 2"
    assert english.transcript.startswith("Topic 2. The basic digital skills")
    for course in courses:
        first, second = LessonPage.objects.child_of(course).order_by("path")[:2]
        video = LessonMedia.objects.get(pk=next(iter(lesson_media_flags(lesson=first))))
        assert video.kind == "video" and lesson_media_flags(lesson=first)[video.pk]
        assert (tmp_path / video.hls_master).exists()
        assert 9.5 <= video.duration <= 10.5
        audio = LessonMedia.objects.get(
            pk=next(iter(lesson_media_flags(lesson=second)))
        )
        assert audio.kind == "audio" and not lesson_media_flags(lesson=second)[audio.pk]
        assert course.title in audio.transcript
    files = sorted(p for p in (tmp_path / "hls").rglob("*") if p.is_file())

    before = _counts()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("seed_demo", verbosity=0)
    assert _counts() == before
    assert callbacks == []
    assert sorted(p for p in (tmp_path / "hls").rglob("*") if p.is_file()) == files
