"""Debian's ffmpeg turns an original into what phones play: an HLS ladder
(6-second segments, a keyframe every 6 seconds), an MP4 or M4A fallback and
a poster. No Django models here: paths in, files out."""

import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SEGMENT_SECONDS = 6
MASTER = "master.m3u8"
POSTER = "poster.jpg"
VIDEO_FALLBACK = "fallback.mp4"
AUDIO_FALLBACK = "fallback.m4a"


@dataclass(frozen=True)
class Rendition:
    name: str
    height: int
    video_kbps: int
    audio_kbps: int


# The lowest rung is what a 3G phone holds: 240p at 250 kbps of video and
# 48 kbps of AAC is about 300 kbps (peaks at 1.5 x video, about 420 kbps),
# under the 0.5-1 Mbps a congested rural 3G cell still gives, so
# playback starts in a few seconds and does not stall; ten minutes cost about
# 22 MB of mobile data. 360p is for 4G, 720p for Wi-Fi.
LADDER = (
    Rendition("240p", 240, 250, 48),
    Rendition("360p", 360, 600, 64),
    Rendition("720p", 720, 2000, 128),
)
FALLBACK_HEIGHT = 360


class TranscodeFailed(Exception):
    pass


def _even(value: int) -> int:
    return max(2, value - value % 2)


def ladder_for(source_height: int) -> tuple[Rendition, ...]:
    """The rungs up to the source's height: upscaling only spends the
    learner's data on pixels the source never had. A source below the lowest
    rung gets that one rung at its own height, its bitrate scaled to its
    pixels."""
    fitting = tuple(r for r in LADDER if r.height <= source_height)
    if fitting:
        return fitting
    lowest = LADDER[0]
    height = _even(source_height)
    scale = (height / lowest.height) ** 2
    return (
        Rendition(
            f"{height}p",
            height,
            max(64, round(lowest.video_kbps * scale)),
            lowest.audio_kbps,
        ),
    )


def _run(args: list[str], *, duration: float, on_progress: Callable[[int], None]):
    """Run ffmpeg, reporting percent done from its -progress output."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        # stderr goes to a file: a full pipe would block ffmpeg while the
        # progress lines are being read from stdout.
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        for line in process.stdout:
            key, _sep, value = line.strip().partition("=")
            if key == "out_time_us" and value.isdigit() and duration > 0:
                on_progress(min(99, int(int(value) / 1e6 / duration * 100)))
        returncode = process.wait()
        errors.seek(0)
        stderr = errors.read()
    if returncode != 0:
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        raise TranscodeFailed(lines[-1] if lines else f"ffmpeg {returncode}")


def _base(ffmpeg: str) -> list[str]:
    return [ffmpeg, "-nostdin", "-y", "-v", "error", "-nostats"]


def video_transcode(
    *,
    ffmpeg: str,
    source: Path,
    out: Path,
    height: int,
    fps: float,
    has_audio: bool,
    duration: float,
    on_progress: Callable[[int], None],
) -> None:
    gop = str(max(1, round(fps * SEGMENT_SECONDS)))
    ladder = ladder_for(height)
    heights = [r.height for r in ladder]
    fallback_height = _even(min(FALLBACK_HEIGHT, height))
    splits = len(ladder) + 1
    graph = f"[0:v]split={splits}" + "".join(f"[s{i}]" for i in range(splits)) + ";"
    graph += ";".join(f"[s{i}]scale=-2:{h}[v{i}]" for i, h in enumerate(heights))
    graph += f";[s{len(ladder)}]scale=-2:{fallback_height}[vf]"
    args = _base(ffmpeg) + ["-progress", "pipe:1", "-i", str(source)]
    args += ["-filter_complex", graph]
    streams = []
    for i, rendition in enumerate(ladder):
        args += ["-map", f"[v{i}]"]
        if has_audio:
            args += ["-map", "0:a:0"]
        args += [
            f"-b:v:{i}",
            f"{rendition.video_kbps}k",
            f"-maxrate:v:{i}",
            f"{rendition.video_kbps * 3 // 2}k",
            f"-bufsize:v:{i}",
            f"{rendition.video_kbps * 2}k",
        ]
        if has_audio:
            args += [f"-b:a:{i}", f"{rendition.audio_kbps}k"]
        streams.append(
            f"v:{i},a:{i},name:{rendition.name}"
            if has_audio
            else f"v:{i},name:{rendition.name}"
        )
    keyframes = ["-g", gop, "-keyint_min", gop, "-sc_threshold", "0"]
    h264 = ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main"]
    h264 += ["-pix_fmt", "yuv420p"]
    aac = ["-c:a", "aac", "-ac", "2"] if has_audio else []
    args += h264 + keyframes + aac + _hls_output(out, " ".join(streams))
    args += ["-map", "[vf]"] + (["-map", "0:a:0"] if has_audio else [])
    args += h264 + keyframes + ["-crf", "28"] + aac
    args += (["-b:a", "96k"] if has_audio else []) + ["-movflags", "+faststart"]
    args += [str(out / VIDEO_FALLBACK)]
    _run(args, duration=duration, on_progress=on_progress)
    poster_at = f"{min(1.0, duration / 2):.2f}"
    _run(
        _base(ffmpeg)
        + ["-ss", poster_at, "-i", str(source), "-frames:v", "1"]
        + ["-vf", f"scale=-2:{heights[-1]}", "-q:v", "4", str(out / POSTER)],
        duration=0,
        on_progress=on_progress,
    )


def _hls_output(out: Path, stream_map: str) -> list[str]:
    """A VOD HLS output: one folder per stream, 6-second segments, a master."""
    return [
        "-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_playlist_type", "vod",
        "-hls_segment_filename", str(out / "%v" / "seg_%03d.ts"),
        "-master_pl_name", MASTER, "-var_stream_map", stream_map,
        str(out / "%v" / "index.m3u8"),
    ]  # fmt: skip


def audio_transcode(
    *,
    ffmpeg: str,
    source: Path,
    out: Path,
    duration: float,
    on_progress: Callable[[int], None],
) -> None:
    aac = ["-map", "0:a:0", "-c:a", "aac", "-b:a", "64k", "-ac", "1"]
    args = _base(ffmpeg) + ["-progress", "pipe:1", "-i", str(source)]
    args += aac + _hls_output(out, "a:0,name:audio")
    args += aac + ["-movflags", "+faststart", str(out / AUDIO_FALLBACK)]
    _run(args, duration=duration, on_progress=on_progress)
