"""In development Django serves MEDIA_ROOT with Range support."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from hocvuso.core.media import media_serve


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "hls" / "3").mkdir(parents=True)
    (tmp_path / "hls" / "3" / "seg_000.ts").write_bytes(bytes(range(256)))
    (tmp_path / "hls" / "3" / "master.m3u8").write_text("#EXTM3U\n")
    return tmp_path


def _get(path: str, **headers):
    return media_serve(RequestFactory().get("/media/" + path, headers=headers), path)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_whole_file_with_its_type(media):
    response = _get("hls/3/master.m3u8")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(
    ("header", "content_range", "body"),
    [
        ("bytes=10-19", "bytes 10-19/256", bytes(range(10, 20))),
        ("bytes=250-", "bytes 250-255/256", bytes(range(250, 256))),
        ("bytes=-6", "bytes 250-255/256", bytes(range(250, 256))),
        ("bytes=200-999", "bytes 200-255/256", bytes(range(200, 256))),
    ],
)
def test_ranges(media, header, content_range, body):
    response = _get("hls/3/seg_000.ts", Range=header)
    assert response.status_code == 206
    assert response["Content-Type"] == "video/mp2t"
    assert response["Content-Range"] == content_range
    assert response["Content-Length"] == str(len(body))
    assert _body(response) == body


def test_unsatisfiable_range_and_escapes(media):
    response = _get("hls/3/seg_000.ts", Range="bytes=300-")
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */256"
    for path in ("../secret", "hls/3/missing.ts", "hls/3"):
        with pytest.raises(Http404):
            _get(path)


@pytest.mark.parametrize(
    "path", ["exports/2026/12/a.xlsx", "hls/../exports/2026/12/a.xlsx"]
)
def test_report_exports_are_never_served_as_media(media, path):
    (media / "exports" / "2026" / "12").mkdir(parents=True)
    (media / "exports" / "2026" / "12" / "a.xlsx").write_bytes(b"PK")
    with pytest.raises(Http404):
        _get(path)


def test_certificate_files_are_served_only_through_their_views(media):
    (media / "certificates" / "pdf").mkdir(parents=True)
    (media / "certificates" / "pdf" / "abc.pdf").write_bytes(b"%PDF")
    with pytest.raises(Http404):
        _get("certificates/pdf/abc.pdf")
