"""deploy/nginx/hocvuso.conf serves playlists and segments from disk, with
their MIME types, Range and cache headers, while the application is down."""

import collections
import http.server
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "hocvuso.conf"
RENDER = CONF.parent / "render"
TOKEN = "Rk3uV9-pQ_x7LmZt2WcY8bHn4JsDfGa1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    # the application servers are not running: nothing may depend on them
    yield from _nginx(tmp_path, app="127.0.0.1:9")


def _nginx(tmp_path, *, app: str, token: str = ""):
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
    (site / "media" / "packages" / "u1").mkdir(parents=True)
    (site / "media" / "packages" / "u1" / "index.html").write_text("<script>")
    (site / "media" / "package_originals").mkdir()
    (site / "media" / "package_originals" / "goi.zip").write_bytes(b"PK")
    # as compose and the stack do: deploy/nginx/render, the token from the
    # environment
    rendered = subprocess.run(
        ["sh", RENDER, CONF, tmp_path / "hocvuso.conf", app, app]
        + [f"127.0.0.1:{port}", str(site)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PAGE_CACHE_REFRESH_TOKEN": token},
    )
    assert rendered.returncode == 0, rendered.stderr
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
    # Content packages play only from /goi-noi-dung/, sandboxed by Django.
    assert _get(nginx + "/media/packages/u1/index.html").status == 404
    assert _get(nginx + "/media/package_originals/goi.zip").status == 404
    assert _get(nginx + "/").status == 502  # the app is down; segments were not


def test_nginx_does_not_tell_its_version(nginx):
    assert _get(nginx + "/media/hls/7/master.m3u8").headers["Server"] == "nginx"
    assert _get(nginx + "/media/exports/2026/12/hoc-vien.csv").headers["Server"] == (
        "nginx"
    )


class _App(http.server.BaseHTTPRequestHandler):
    """Stands in for Django: /bai/ is a public page (X-Accel-Expires), /rieng/
    a personal one with a public-looking max-age, /cookie/ a public page that
    sets a cookie after all. Each answer says how many times it was asked."""

    hits: collections.Counter = collections.Counter()
    # /cham/: a personal answer that takes a while (the page state under load).
    in_flight = 0
    most_in_flight = 0
    lock = threading.Lock()

    def do_GET(self):
        _App.hits[self.path] += 1
        if self.path.startswith("/cham/"):
            with _App.lock:
                _App.in_flight += 1
                _App.most_in_flight = max(_App.most_in_flight, _App.in_flight)
            time.sleep(0.4)
            with _App.lock:
                _App.in_flight -= 1
        language = (
            "en" if "django_language=en" in self.headers.get("Cookie", "") else "vi"
        )
        body = f"{self.path} {language} #{_App.hits[self.path]}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if self.path.startswith(("/bai/", "/cookie/")):
            self.send_header("X-Accel-Expires", "60")
            self.send_header("Cache-Control", "public, max-age=0, s-maxage=60")
            self.send_header("Vary", "Accept-Encoding")
        if self.path.startswith("/rieng/"):
            self.send_header("Cache-Control", "max-age=3600")
        if self.path.startswith("/cookie/"):
            self.send_header("Set-Cookie", "sessionid=abc")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx_with_app(tmp_path):
    _App.hits.clear()
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    yield from _nginx(tmp_path, app=f"127.0.0.1:{app.server_address[1]}")
    app.shutdown()


def _body(response) -> str:
    return response.read().decode()


def test_a_public_page_is_rendered_once_for_every_reader(nginx_with_app):
    first = _get(nginx_with_app + "/bai/1/")
    assert _body(first) == "/bai/1/ vi #1"
    assert first.headers["X-Accel-Expires"] is None  # nginx keeps it to itself
    for cookie in ("sessionid=nguoi-a", "sessionid=nguoi-b; csrftoken=x", ""):
        again = _get(
            nginx_with_app + "/bai/1/", Cookie=cookie, **{"Accept-Encoding": "br"}
        )
        assert _body(again) == "/bai/1/ vi #1"
        assert again.headers["X-Cache"] == "HIT"
    # a query string does not make another copy to render
    assert _body(_get(nginx_with_app + "/bai/1/?x=1")) == "/bai/1/ vi #1"


def test_the_copy_follows_language_and_text_size_only(nginx_with_app):
    assert _body(_get(nginx_with_app + "/bai/2/")) == "/bai/2/ vi #1"
    english = _get(nginx_with_app + "/bai/2/", Cookie="django_language=en")
    assert _body(english) == "/bai/2/ en #2"
    large = _get(nginx_with_app + "/bai/2/", Cookie="co_chu_lon=1")
    assert _body(large) == "/bai/2/ vi #3"
    # made-up values read as the defaults: no new copy per value
    for junk in ("django_language=xx", "co_chu_lon=9", "django_language=en%00"):
        assert _body(_get(nginx_with_app + "/bai/2/", Cookie=junk)) == "/bai/2/ vi #1"


def test_nothing_else_is_kept(nginx_with_app):
    for _ in range(2):
        _get(nginx_with_app + "/rieng/", Cookie="sessionid=a").read()
        _get(nginx_with_app + "/cookie/").read()
    assert _App.hits["/rieng/"] == 2 and _App.hits["/cookie/"] == 2


def test_personal_answers_are_not_held_behind_one_another(nginx_with_app):
    """The page state of every lesson has one path (/api/me/state?page=…):
    with the cache's lock, each request waited for the previous one in
    steps of 500 ms (up to 5 s), as the CI smoke's state p95 showed."""
    _App.most_in_flight = 0
    readers = [
        threading.Thread(
            target=lambda n=n: _get(
                nginx_with_app + f"/cham/?page={n}", Cookie=f"sessionid=s{n}"
            ).read()
        )
        for n in range(4)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=10)
    assert _App.most_in_flight == 4


@pytest.fixture
def nginx_refreshable(tmp_path):
    _App.hits.clear()
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    address = f"127.0.0.1:{app.server_address[1]}"
    yield from _nginx(tmp_path, app=address, token=TOKEN)
    app.shutdown()


def test_a_refresh_request_replaces_the_cached_copy(nginx_refreshable):
    assert _body(_get(nginx_refreshable + "/bai/3/")) == "/bai/3/ vi #1"
    # an editor published: the task asks again with the token
    refresh = _get(nginx_refreshable + "/bai/3/", **{"X-Hocvuso-Refresh": TOKEN})
    assert _body(refresh) == "/bai/3/ vi #2"
    assert refresh.headers["X-Cache"] == "BYPASS"
    # every reader gets the new copy now, not a minute later
    again = _get(nginx_refreshable + "/bai/3/", Cookie="sessionid=nguoi-a")
    assert _body(again) == "/bai/3/ vi #2"
    assert again.headers["X-Cache"] == "HIT"
    # the other variants are copies of their own, refreshed the same way
    english = {"Cookie": "django_language=en"}
    assert _body(_get(nginx_refreshable + "/bai/3/", **english)) == "/bai/3/ en #3"
    _get(nginx_refreshable + "/bai/3/", **english, **{"X-Hocvuso-Refresh": TOKEN})
    assert _body(_get(nginx_refreshable + "/bai/3/", **english)) == "/bai/3/ en #4"
    assert _body(_get(nginx_refreshable + "/bai/3/")) == "/bai/3/ vi #2"


def test_only_the_token_refreshes(nginx_refreshable):
    assert _body(_get(nginx_refreshable + "/bai/4/")) == "/bai/4/ vi #1"
    for wrong in (
        "",
        " ",
        "x",
        TOKEN.lower(),
        TOKEN[:-1],
        TOKEN + "x",
        "x" + TOKEN,
        "__PAGE_CACHE_REFRESH_TOKEN__",
    ):
        again = _get(nginx_refreshable + "/bai/4/", **{"X-Hocvuso-Refresh": wrong})
        assert _body(again) == "/bai/4/ vi #1", wrong
        assert again.headers["X-Cache"] == "HIT"
    assert _App.hits["/bai/4/"] == 1


def test_without_a_token_nothing_refreshes(nginx_with_app):
    assert _body(_get(nginx_with_app + "/bai/5/")) == "/bai/5/ vi #1"
    for header in ("", "__PAGE_CACHE_REFRESH_TOKEN__", TOKEN):
        again = _get(nginx_with_app + "/bai/5/", **{"X-Hocvuso-Refresh": header})
        assert _body(again) == "/bai/5/ vi #1"


def test_the_token_never_reaches_the_application(nginx_refreshable):
    seen = []
    original = _App.do_GET

    def do_get(handler):
        seen.append(handler.headers.get("X-Hocvuso-Refresh"))
        original(handler)

    _App.do_GET = do_get
    try:
        _get(nginx_refreshable + "/bai/6/", **{"X-Hocvuso-Refresh": TOKEN}).read()
    finally:
        _App.do_GET = original
    assert seen == [None]


@pytest.mark.parametrize(
    "token", [TOKEN[:31], TOKEN[:-1] + "/", TOKEN[:-1] + "|", TOKEN + " x"]
)
def test_render_refuses_a_short_or_odd_token(tmp_path, token):
    result = subprocess.run(
        ["sh", RENDER, CONF, tmp_path / "out.conf", "web:1", "ws:2", "8080"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PAGE_CACHE_REFRESH_TOKEN": token},
    )
    assert result.returncode == 1
    assert "PAGE_CACHE_REFRESH_TOKEN" in result.stderr
