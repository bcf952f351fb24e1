"""Demo video and audio for each course, generated locally (no downloads):
an ffmpeg test pattern with a Vietnamese title card, and espeak-ng reading
the course summary in Vietnamese (and in English, as a version of that
audio, for the courses the sample English translation carries). All go
through the same checks and transcoding as an editor's upload.

Idempotent: media are found by title, and a lesson that already shows a
media is left as it is.
"""

import json
import subprocess
import tempfile
import textwrap
from pathlib import Path

from django.conf import settings

from .demo import SeedCounts
from .demo_translations import TRANSLATIONS_DIR
from .models import CoursePage, LessonMedia, LessonPage, MediaKind
from .selectors import lesson_media_flags
from .services import media_create

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
VIDEO_SECONDS = 10


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        [settings.FFMPEG_BIN, "-nostdin", "-y", "-v", "error", *args],
        check=True,
        timeout=120,
    )


def _title_card_video(course: CoursePage, folder: Path) -> Path:
    card = folder / "card.txt"
    lines = [f"Chuyên đề {course.topic_number}", *textwrap.wrap(course.title, 28)]
    card.write_text("\n".join(lines), encoding="utf-8")
    text = (
        f"drawtext=fontfile={FONT}:textfile={card}:fontsize=20:fontcolor=white"
        ":line_spacing=6:box=1:boxcolor=black@0.65:boxborderw=10"
        ":x=(w-text_w)/2:y=(h-text_h)/2"
    )
    out = folder / f"chuyen-de-{course.topic_number}.mp4"
    _ffmpeg(
        "-f", "lavfi", "-i", f"testsrc=size=426x240:rate=25:duration={VIDEO_SECONDS}",
        "-f", "lavfi", "-i", f"sine=frequency=523:duration={VIDEO_SECONDS}",
        "-vf", text, "-c:v", "libx264", "-preset", "ultrafast",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", "-shortest", str(out),
    )  # fmt: skip
    return out


def _narration(text: str, folder: Path, name: str, *, voice: str = "vi") -> Path:
    out = folder / f"{name}.wav"
    subprocess.run(
        [settings.ESPEAK_BIN, "-v", voice, "-s", "150", "-w", str(out), text],
        check=True,
        timeout=120,
    )
    return out


def _media(title: str, counts: SeedCounts, make) -> LessonMedia:
    media = LessonMedia.objects.filter(title=title).first()
    if media is None:
        media = make()
        counts.created += 1
    else:
        counts.unchanged += 1
    return media


def _show_in_lesson(lesson: LessonPage, media: LessonMedia, *, required: bool):
    if lesson_media_flags(lesson=lesson):
        return
    kind = "video" if media.kind == MediaKind.VIDEO else "audio"
    body = [{"type": kind, "value": {"media": media.pk, "required": required}}]
    body += list(lesson.body.raw_data)
    lesson.body = json.dumps(body, ensure_ascii=False)
    lesson.save_revision().publish()


def course_media_seed(*, course: CoursePage, counts: SeedCounts) -> None:
    """A required title-card video in the first lesson, an optional spoken
    summary in the second."""
    lessons = list(LessonPage.objects.child_of(course).order_by("path")[:2])
    if not lessons:
        return
    summary = f"Chuyên đề {course.topic_number}. {course.title}. {course.summary}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        video = _media(
            f"Video giới thiệu chuyên đề {course.topic_number}",
            counts,
            lambda: media_create(
                title=f"Video giới thiệu chuyên đề {course.topic_number}",
                kind=MediaKind.VIDEO,
                path=_title_card_video(course, folder),
                transcript=f"Chuyên đề {course.topic_number}: {course.title}.",
            ),
        )
        audio = _media(
            f"Nghe tóm tắt chuyên đề {course.topic_number}",
            counts,
            lambda: media_create(
                title=f"Nghe tóm tắt chuyên đề {course.topic_number}",
                kind=MediaKind.AUDIO,
                path=_narration(summary, folder, f"tom-tat-{course.topic_number}"),
                transcript=summary,
            ),
        )
    _show_in_lesson(lessons[0], video, required=True)
    if len(lessons) > 1:
        _show_in_lesson(lessons[1], audio, required=False)


def _english_summaries() -> dict[int, str]:
    """Topic → the spoken summary in English, for the courses the demo's
    sample translation carries (its title and summary, nothing more)."""
    path = TRANSLATIONS_DIR / "en.json"
    courses = json.loads(path.read_text(encoding="utf-8")).get("courses", {})
    return {
        int(topic): f"Topic {topic}. {text['title']}. {text['summary']}"
        for topic, text in courses.items()
        if text.get("title") and text.get("summary")
    }


def course_media_versions_seed(*, course: CoursePage, counts: SeedCounts) -> None:
    """The spoken summary in English beside the Vietnamese one, for a course
    translated into English: its English reader hears it in English."""
    summary = _english_summaries().get(course.topic_number)
    audio = LessonMedia.objects.filter(
        title=f"Nghe tóm tắt chuyên đề {course.topic_number}",
        translation_of=None,
    ).first()
    if summary is None or audio is None:
        return
    title = f"Summary of topic {course.topic_number}"
    if audio.translations.filter(language="en").exists():
        counts.unchanged += 1
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = _narration(
            summary, Path(tmp), f"summary-{course.topic_number}", voice="en"
        )
        media_create(
            title=title,
            kind=MediaKind.AUDIO,
            path=path,
            transcript=summary,
            translation_of=audio,
            language="en",
        )
    counts.created += 1


def demo_media_seed(*, courses: list[CoursePage]) -> SeedCounts:
    counts = SeedCounts()
    for course in courses:
        course_media_seed(course=course, counts=counts)
        course_media_versions_seed(course=course, counts=counts)
    return counts
