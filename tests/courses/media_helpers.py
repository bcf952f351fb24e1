"""Tiny generated clips and a lesson with a video block, for the media tests."""

import json
import subprocess
from pathlib import Path

from courses.models import LessonMedia, LessonPage, MediaKind, MediaStatus


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-v", "error", *args], check=True)


def make_clip(path: Path, *, seconds: int = 10, size: str = "320x180") -> Path:
    """A small H.264 + AAC clip: test pattern and a tone."""
    ffmpeg(
        "-f", "lavfi", "-i", f"testsrc=size={size}:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest", str(path),
    )  # fmt: skip
    return path


def make_tone(path: Path, *, seconds: int = 4) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}", str(path))
    return path


def ready_media(*, duration: float = 10.0, kind: str = MediaKind.VIDEO):
    """A media that transcoding has finished (files are not needed to count)."""
    return LessonMedia.objects.create(
        title="Video thử",
        kind=kind,
        original="media_originals/thu.mp4",
        status=MediaStatus.READY,
        duration=duration,
        hls_master="hls/0/master.m3u8",
        fallback="hls/0/fallback.mp4",
        poster="hls/0/poster.jpg",
    )


def put_media_in_lesson(
    lesson: LessonPage, media: LessonMedia, *, required: bool = True
) -> LessonPage:
    body = json.loads(json.dumps(list(lesson.body.raw_data)))
    body.insert(
        0, {"type": "video", "value": {"media": media.pk, "required": required}}
    )
    lesson.body = json.dumps(body)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)
