"""Check an uploaded video or audio file by probing it with ffprobe.

The file's name says nothing: the container and streams ffprobe finds decide.
Raises ValidationError with a Vietnamese message; stores nothing.
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VIDEO = "video"
AUDIO = "audio"
# ffprobe's format names for MP4/MOV/M4A, WebM, MP3 and WAV.
ACCEPTED_FORMATS = {
    VIDEO: {"mov", "mp4", "m4a", "3gp", "matroska", "webm"},
    AUDIO: {"mov", "mp4", "m4a", "mp3", "wav"},
}


@dataclass(frozen=True)
class Probe:
    duration: float
    has_video: bool
    has_audio: bool
    width: int
    height: int
    fps: float
    formats: frozenset[str]


def _run(args: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired as exc:
        raise ValidationError(
            _("Kiểm tra tệp quá lâu. Hãy thử lại hoặc tải lên tệp nhỏ hơn."),
            code="timeout",
        ) from exc


def probe_path(path: Path) -> Probe:
    """Probe a file on disk; ValidationError when it is not usable media."""
    result = _run(
        [
            settings.FFPROBE_BIN,
            "-v",
            "error",
            "-show_format",
            "-show_streams",
            "-of",
            "json",
            str(path),
        ]
    )
    if "moov atom not found" in result.stderr:
        raise ValidationError(_truncated(), code="truncated")
    if result.returncode != 0:
        raise ValidationError(_not_media(), code="not_media")
    data = json.loads(result.stdout or "{}")
    fmt = data.get("format", {})
    streams = data.get("streams", [])
    video = [
        s
        for s in streams
        if s.get("codec_type") == "video"
        and not s.get("disposition", {}).get("attached_pic")
    ]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    if not video and not audio:
        raise ValidationError(_not_media(), code="not_media")
    formats = set(fmt.get("format_name", "").split(","))
    try:
        duration = float(fmt.get("duration", 0))
    except ValueError:
        duration = 0.0
    if duration <= 0:
        raise ValidationError(_truncated(), code="truncated")
    fps = 0.0
    if video:
        num, _sep, den = video[0].get("avg_frame_rate", "0/1").partition("/")
        fps = float(num) / float(den) if float(den or 0) else 0.0
    return Probe(
        duration=duration,
        has_video=bool(video),
        has_audio=bool(audio),
        width=int(video[0].get("width", 0)) if video else 0,
        height=int(video[0].get("height", 0)) if video else 0,
        fps=fps or 25.0,
        formats=frozenset(formats),
    )


def _not_media() -> str:
    return _("Tệp này không phải video hoặc âm thanh hợp lệ.")


def _truncated() -> str:
    return _("Tệp bị hỏng hoặc tải lên chưa trọn vẹn. Hãy tải lên lại tệp gốc.")


def _reads_to_the_end(path: Path) -> bool:
    """Read every packet without decoding: a cut-off file reports errors."""
    result = _run(
        [
            settings.FFMPEG_BIN,
            "-v",
            "error",
            "-i",
            str(path),
            "-map",
            "0",
            "-c",
            "copy",
            "-f",
            "null",
            "-",
        ]
    )
    return result.returncode == 0 and not result.stderr.strip()


def media_file_check(path: Path, *, kind: str) -> Probe:
    """Every rule an upload must pass, in order; the first failure raises."""
    limit_mb = settings.MEDIA_MAX_UPLOAD_MB
    if path.stat().st_size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("Tệp quá lớn: tối đa %(limit)s MB.") % {"limit": limit_mb},
            code="too_large",
        )
    probe = probe_path(path)
    if not probe.formats & ACCEPTED_FORMATS[kind]:
        if kind == VIDEO:
            message = _("Chỉ nhận video MP4, MOV hoặc WebM.")
        else:
            message = _("Chỉ nhận âm thanh MP3, M4A hoặc WAV.")
        raise ValidationError(message, code="format")
    if kind == VIDEO and not probe.has_video:
        raise ValidationError(
            _("Tệp này chỉ có âm thanh, không có hình. Hãy chọn loại “Âm thanh”."),
            code="audio_as_video",
        )
    if kind == AUDIO and not probe.has_audio:
        raise ValidationError(
            _("Tệp này không có tiếng. Hãy chọn loại “Video”."), code="no_audio"
        )
    limit_min = settings.MEDIA_MAX_DURATION_MINUTES
    if probe.duration > limit_min * 60:
        raise ValidationError(
            _("Tệp quá dài: tối đa %(limit)s phút.") % {"limit": limit_min},
            code="too_long",
        )
    if not _reads_to_the_end(path):
        raise ValidationError(_truncated(), code="truncated")
    return probe


def uploaded_file_check(upload, *, kind: str) -> Probe:
    """Check an UploadedFile (in memory or on disk) without storing it."""
    if hasattr(upload, "temporary_file_path"):
        return media_file_check(Path(upload.temporary_file_path()), kind=kind)
    with tempfile.NamedTemporaryFile(suffix=".upload") as tmp:
        upload.seek(0)
        shutil.copyfileobj(upload, tmp)
        tmp.flush()
        upload.seek(0)
        return media_file_check(Path(tmp.name), kind=kind)
