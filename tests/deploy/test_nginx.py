"""deploy/nginx/hocvuso.conf serves playlists and segments from disk, with
their MIME types, Range and cache headers, while the application is down."""

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "hocvuso.conf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx not found: apt-get install nginx-light")
    port = _free_port()
    site = tmp_path / "site"
    hls = site / "media" / "hls" / "7"
    (hls / "240p").mkdir(parents=True)
    (hls / "master.m3u8").write_text("#EXTM3U\n240p/index.m3u8\n")
    (hls / "240p" / "seg_000.ts").write_bytes(bytes(range(256)) * 40)
    (site / "media" / "media_originals").mkdir()
    (site / "media" / "media_originals" / "goc.mp4").write_bytes(b"x")
    (site / "media" / "exports" / "2026" / "12").mkdir(parents=True)
    (site / "media" / "exports" / "2026" / "12" / "hoc-vien.csv").write_text("x")
    (site / "media" / "certificates" / "pdf").mkdir(parents=True)
    (site / "media" / "certificates" / "pdf" / "abc.pdf").write_text("x")
    server = CONF.read_text().replace("/srv/hocvuso", str(site))
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
    # the application servers are not running: nothing may depend on them
    server = server.replace("127.0.0.1:8000", "127.0.0.1:9").replace(
        "127.0.0.1:8001", "127.0.0.1:9"
    )
    (tmp_path / "hocvuso.conf").write_text(server)
    temp = tmp_path / "temp"
    temp.mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"""
        daemon off;
        worker_processes 1;
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/error.log;
        user root;
        events {{ worker_connections 64; }}
        http {{
            access_log off;
            client_body_temp_path {temp}/body;
            proxy_temp_path {temp}/proxy;
            fastcgi_temp_path {temp}/fastcgi;
            uwsgi_temp_path {temp}/uwsgi;
            scgi_temp_path {temp}/scgi;
            include {tmp_path}/hocvuso.conf;
        }}
        """
    )
    args = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(args, stderr=subprocess.PIPE)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def _get(url: str, **headers):
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers))
    except urllib.error.HTTPError as error:
        return error


def test_playlists_and_segments_come_from_disk(nginx):
    master = _get(nginx + "/media/hls/7/master.m3u8")
    assert master.status == 200
    assert master.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert master.headers["Cache-Control"] == "public, max-age=60"

    segment = _get(nginx + "/media/hls/7/240p/seg_000.ts", Range="bytes=100-199")
    assert segment.status == 206
    assert segment.headers["Content-Type"] == "video/mp2t"
    assert segment.headers["Content-Range"] == "bytes 100-199/10240"
    assert segment.read() == bytes(range(100, 200))
    assert segment.headers["Cache-Control"] == "public, max-age=86400"
    whole = _get(nginx + "/media/hls/7/240p/seg_000.ts")
    assert whole.headers["Accept-Ranges"] == "bytes"


def test_originals_are_not_served_and_pages_need_the_application(nginx):
    assert _get(nginx + "/media/media_originals/goc.mp4").status == 404
    assert _get(nginx + "/media/exports/2026/12/hoc-vien.csv").status == 404
    assert _get(nginx + "/media/certificates/pdf/abc.pdf").status == 404
    assert _get(nginx + "/").status == 502  # the app is down; segments were not


def test_nginx_does_not_tell_its_version(nginx):
    assert _get(nginx + "/media/hls/7/master.m3u8").headers["Server"] == "nginx"
    assert _get(nginx + "/media/exports/2026/12/hoc-vien.csv").headers["Server"] == (
        "nginx"
    )
