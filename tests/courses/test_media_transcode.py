"""Transcoding through the real Celery task function (run eagerly here)."""

import re
from pathlib import Path

import pytest

from courses.models import LessonMedia, MediaKind, MediaStatus
from courses.services import media_create, media_retry
from courses.tasks import media_transcode_task

from .media_helpers import make_clip, make_tone

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "bai-hoc.mp4")


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _tree(root: Path) -> dict[str, float]:
    return {
        str(p.relative_to(root)): p.stat().st_mtime
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_video_becomes_hls_ladder_poster_and_fallback(
    clip, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        media = media_create(title="Bài 1", kind=MediaKind.VIDEO, path=clip)
    # The task is enqueued once the row is committed (the other callbacks
    # renew the page tree's generation: lessons show the media once ready).
    enqueued = [c for c in callbacks if "media_transcode_enqueue" in c.__qualname__]
    assert len(enqueued) == 1
    media.refresh_from_db()
    assert media.status == MediaStatus.READY, media.failure_reason
    assert media.progress == 100
    assert media.duration == pytest.approx(10, abs=0.2)

    out = media_root / "hls" / str(media.pk)
    master = (out / "master.m3u8").read_text()
    # the 180p source is not upscaled: one rendition at its own height
    assert master.count("#EXT-X-STREAM-INF") == 1
    for rendition in ("180p",):
        playlist = (out / rendition / "index.m3u8").read_text()
        assert "#EXT-X-TARGETDURATION:6" in playlist
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in playlist
        # a keyframe every 6 s: the 10 s clip is cut into 6 s + 4 s
        assert re.findall(r"#EXTINF:([\d.]+)", playlist) == ["6.000000", "4.000000"]
        assert len(list((out / rendition).glob("seg_*.ts"))) == 2
    assert (out / "poster.jpg").stat().st_size > 0
    assert (out / "fallback.mp4").stat().st_size > 0
    assert media.hls_master == f"hls/{media.pk}/master.m3u8"
    assert not [p for p in (media_root / "hls").iterdir() if p.name.startswith(".")]

    before = _tree(media_root / "hls")
    assert media_transcode_task.apply(args=[media.pk]).get() == MediaStatus.READY
    assert _tree(media_root / "hls") == before  # a second run changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        media_retry(media=media)  # forced: rebuilt, the same files again
    media.refresh_from_db()
    assert media.status == MediaStatus.READY
    assert _tree(media_root / "hls").keys() == before.keys()


def _renditions(out: Path) -> dict[str, tuple[int, int]]:
    """name -> (height, measured kbps of its segments) from what was written."""
    master = (out / "master.m3u8").read_text()
    found = {}
    for height, playlist in re.findall(
        r"RESOLUTION=\d+x(\d+).*\n(\S+)/index.m3u8", master
    ):
        text = (out / playlist / "index.m3u8").read_text()
        seconds = sum(float(d) for d in re.findall(r"#EXTINF:([\d.]+)", text))
        size = sum(p.stat().st_size for p in (out / playlist).glob("seg_*.ts"))
        found[playlist] = (int(height), round(size * 8 / seconds / 1000))
    return found


def test_240p_source_is_never_upscaled_and_fits_3g(
    tmp_path, media_root, django_capture_on_commit_callbacks
):
    source = make_clip(tmp_path / "240p.mp4", seconds=6, size="426x240")
    with django_capture_on_commit_callbacks(execute=True):
        media = media_create(title="Nhỏ", kind=MediaKind.VIDEO, path=source)
    media.refresh_from_db()
    assert media.status == MediaStatus.READY, media.failure_reason
    renditions = _renditions(media_root / "hls" / str(media.pk))
    assert list(renditions) == ["240p"]
    height, kbps = renditions["240p"]
    assert height == 240
    # what a 3G phone holds: about 300 kbps with audio and transport overhead
    assert 100 < kbps < 450, kbps


def test_360p_source_ladder_stops_at_its_height(
    tmp_path, media_root, django_capture_on_commit_callbacks
):
    source = make_clip(tmp_path / "360p.mp4", seconds=6, size="640x360")
    with django_capture_on_commit_callbacks(execute=True):
        media = media_create(title="Vừa", kind=MediaKind.VIDEO, path=source)
    media.refresh_from_db()
    renditions = _renditions(media_root / "hls" / str(media.pk))
    assert sorted(renditions) == ["240p", "360p"]
    assert renditions["240p"][0] == 240 and renditions["360p"][0] == 360
    # each rung above the lowest spends more bits on its larger picture
    assert renditions["240p"][1] < renditions["360p"][1] < 1000


def test_audio_becomes_aac_hls_and_m4a(
    tmp_path, media_root, django_capture_on_commit_callbacks
):
    tone = make_tone(tmp_path / "loi-doc.wav")
    with django_capture_on_commit_callbacks(execute=True):
        media = media_create(title="Nghe", kind=MediaKind.AUDIO, path=tone)
    media.refresh_from_db()
    assert media.status == MediaStatus.READY
    out = media_root / "hls" / str(media.pk)
    assert 'CODECS="mp4a.40.2"' in (out / "master.m3u8").read_text()
    assert list((out / "audio").glob("seg_*.ts"))
    assert media.fallback.endswith("fallback.m4a") and not media.poster

    with django_capture_on_commit_callbacks(execute=True):
        media.delete()  # deleting the media removes its output and original
    assert not out.exists()
    assert not media.original.storage.exists(media.original.name)


def test_failure_stores_a_reason_and_leaves_no_partial_output(
    clip, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        media = media_create(title="Hỏng", kind=MediaKind.VIDEO, path=clip)
    # the stored original is damaged before the worker gets to it
    media.original.storage.delete(media.original.name)
    media.original.storage.save(media.original.name, _text_file())
    media_transcode_task.apply(args=[media.pk])
    media.refresh_from_db()
    assert media.status == MediaStatus.FAILED
    assert media.failure_reason.startswith("Chuyển mã thất bại")
    assert list((media_root / "hls").iterdir()) == []
    assert "Lỗi" in media.status_display()


def test_task_for_a_deleted_media_does_nothing(db):
    assert media_transcode_task.apply(args=[987654]).get() is None
    assert not LessonMedia.objects.exists()


def _text_file():
    from django.core.files.base import ContentFile

    return ContentFile(b"khong phai video")
