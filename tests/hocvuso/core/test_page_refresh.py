"""An editor's publish reaches nginx's copies of the shared pages at once
(issue 17): one refresh is queued after the edit commits, and it asks nginx
for every copy of every shared page with the token that replaces it."""

import http.server
import logging
import threading

import pytest
from django.core.cache import cache
from hocvuso.core import public_pages, tasks
from wagtail.models import Page

from courses.models import CoursePage, LessonPage

TOKEN = "Rk3uV9-pQ_x7LmZt2WcY8bHn4JsDfGa1"
VARIANTS = {
    "django_language=vi; co_chu_lon=0",
    "django_language=vi; co_chu_lon=1",
    "django_language=en; co_chu_lon=0",
    "django_language=en; co_chu_lon=1",
}


class _Nginx(http.server.BaseHTTPRequestHandler):
    """Stands in for nginx: records each request, answers `status`."""

    status = 200
    seen: list[tuple[str, str, str, str, str]] = []

    def do_GET(self):
        _Nginx.seen.append(
            (
                self.command,
                self.path,
                self.headers["Host"],
                self.headers["Cookie"],
                self.headers["X-Hocvuso-Refresh"],
            )
        )
        self.send_response(_Nginx.status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx():
    _Nginx.seen, _Nginx.status = [], 200
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Nginx)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def queued(monkeypatch, settings):
    """The refreshes queued, as (args, countdown), instead of the broker."""
    settings.PAGE_CACHE_REFRESH_URL = "http://127.0.0.1:8800"
    settings.PAGE_CACHE_REFRESH_TOKEN = TOKEN
    calls = []
    monkeypatch.setattr(
        tasks.shared_pages_refresh_task,
        "apply_async",
        lambda args=None, countdown=None: calls.append((args, countdown)),
    )
    return calls


@pytest.fixture
def course(build_catalog):
    build_catalog(courses=1, lessons=2)
    return CoursePage.objects.get()


def _lessons(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))


@pytest.mark.django_db
def test_publishing_queues_one_refresh_after_the_commit(
    course, queued, django_capture_on_commit_callbacks
):
    first, second = _lessons(course)
    with django_capture_on_commit_callbacks(execute=True):
        first.title = "Tiêu đề mới"
        first.save_revision().publish()
        assert queued == []  # not before the edit is committed
    assert queued == [(None, public_pages.REFRESH_DELAY_SECONDS)]

    # an editor going through a course: one refresh for all of it
    with django_capture_on_commit_callbacks(execute=True):
        second.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        second.unpublish()
    assert len(queued) == 1

    # once the refresh has started, the next edit queues the next one
    cache.delete(public_pages.REFRESH_QUEUED_KEY)  # as the task does first
    with django_capture_on_commit_callbacks(execute=True):
        first.get_parent().get_parent().specific.save_revision().publish()
    assert len(queued) == 2


@pytest.mark.django_db
def test_moving_and_deleting_a_page_queue_a_refresh_too(
    course, queued, django_capture_on_commit_callbacks
):
    first, second = _lessons(course)
    with django_capture_on_commit_callbacks(execute=True):
        second.move(first, pos="left")
    assert len(queued) == 1
    cache.delete(public_pages.REFRESH_QUEUED_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=second.pk).delete()
    assert len(queued) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "unset", ["PAGE_CACHE_REFRESH_URL", "PAGE_CACHE_REFRESH_TOKEN"]
)
def test_without_a_refresh_url_or_token_nothing_is_queued(
    course, queued, settings, unset, django_capture_on_commit_callbacks
):
    setattr(settings, unset, "")
    with django_capture_on_commit_callbacks(execute=True):
        _lessons(course)[0].save_revision().publish()
    assert queued == []


@pytest.mark.django_db
def test_a_broker_down_does_not_fail_the_publish(
    course, monkeypatch, settings, caplog, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_REFRESH_URL = "http://127.0.0.1:8800"
    settings.PAGE_CACHE_REFRESH_TOKEN = TOKEN

    def broker_down(**_kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.shared_pages_refresh_task, "apply_async", broker_down)
    lesson = _lessons(course)[0]
    with django_capture_on_commit_callbacks(execute=True):
        lesson.title = "Vẫn xuất bản được"
        lesson.save_revision().publish()
    assert LessonPage.objects.get(pk=lesson.pk).title == "Vẫn xuất bản được"
    assert "Page cache refresh not queued" in caplog.text
    # nothing waits for a refresh that was never queued
    assert cache.get(public_pages.REFRESH_QUEUED_KEY) is None


@pytest.mark.django_db
def test_the_task_asks_for_every_copy_of_every_shared_page(course, nginx, settings):
    edited = _lessons(course)[-1]
    edited.save_revision().publish()  # before a refresh URL: nothing queued
    settings.PAGE_CACHE_REFRESH_URL = nginx + "/"
    settings.PAGE_CACHE_REFRESH_TOKEN = TOKEN
    settings.WAGTAILADMIN_BASE_URL = "https://hocvuso.example.vn"  # SITE_URL
    cache.set(public_pages.REFRESH_QUEUED_KEY, 1)

    tasks.shared_pages_refresh_task()

    assert cache.get(public_pages.REFRESH_QUEUED_KEY) is None
    lessons = _lessons(course)
    shared = [course.get_parent().specific, course, *lessons]
    paths = {path for _method, path, *_rest in _Nginx.seen}
    for page in shared:
        path = page.get_url_parts()[2]
        asked = {(host, cookie) for _m, p, host, cookie, _t in _Nginx.seen if p == path}
        # the default site answers under its own name and SITE_URL's
        assert asked == {
            (host, cookie)
            for host in ("localhost", "hocvuso.example.vn")
            for cookie in VARIANTS
        }
    assert {method for method, *_rest in _Nginx.seen} == {"GET"}
    # the page just published is replaced first, before the long pass
    assert _Nginx.seen[0][1] == edited.get_url_parts()[2]
    assert {token for *_rest, token in _Nginx.seen} == {TOKEN}
    # a page that is not shared (the home page) is left alone
    assert Page.objects.get(depth=2).get_url_parts()[2] not in paths


@pytest.mark.django_db
def test_a_failing_nginx_is_logged_never_raised(course, nginx, settings, caplog):
    _Nginx.status = 502
    caplog.set_level(logging.WARNING)
    replaced = public_pages.shared_pages_refresh(base_url=nginx, token=TOKEN)
    assert replaced == 0
    assert len(_Nginx.seen) == public_pages.REFRESH_MAX_FAILURES  # then it stops
    assert "Page cache refresh: 0 replaced, 10 failed" in caplog.text

    # nothing listening at all
    assert (
        public_pages.shared_pages_refresh(base_url="http://127.0.0.1:9", token=TOKEN)
        == 0
    )


@pytest.mark.django_db(transaction=True)
def test_an_edit_reaches_readers_through_nginx_at_once(
    build_catalog, live_server, settings, monkeypatch, tmp_path
):
    """End to end: the real conf rendered with a token in front of Django."""
    from tests.deploy.test_nginx import _get, _nginx

    build_catalog(courses=1, lessons=1)
    lesson = LessonPage.objects.get()
    app = "127.0.0.1:" + live_server.url.rsplit(":", 1)[1]
    server = _nginx(tmp_path, app=app, token=TOKEN)
    nginx = next(server)
    # the worker, run at once
    monkeypatch.setattr(
        tasks.shared_pages_refresh_task,
        "apply_async",
        lambda **_kwargs: tasks.shared_pages_refresh_task(),
    )
    try:
        first = _get(nginx + lesson.url)
        assert first.status == 200 and first.headers["X-Cache"] == "MISS"
        assert "Bài 1 của khóa 1" in first.read().decode()

        # without the refresh, readers keep the old copy for the cache period
        lesson.title = "Tiêu đề cũ vẫn còn"
        lesson.save_revision().publish()
        stale = _get(nginx + lesson.url)
        assert stale.headers["X-Cache"] == "HIT"
        assert "Bài 1 của khóa 1" in stale.read().decode()

        settings.PAGE_CACHE_REFRESH_URL = nginx
        settings.PAGE_CACHE_REFRESH_TOKEN = TOKEN
        lesson.title = "Tiêu đề mới của bài"
        lesson.save_revision().publish()
        for cookie in ("", "sessionid=nguoi-a", "django_language=en; co_chu_lon=1"):
            fresh = _get(nginx + lesson.url, Cookie=cookie)
            assert fresh.headers["X-Cache"] == "HIT"
            assert "Tiêu đề mới của bài" in fresh.read().decode()
        # the course outline lists the new title as well
        course = _get(nginx + lesson.get_parent().url).read().decode()
        assert "Tiêu đề mới của bài" in course
    finally:
        next(server, None)


@pytest.mark.django_db
def test_a_translation_saved_or_removed_queues_a_refresh(
    course, queued, settings, django_capture_on_commit_callbacks
):
    """nginx keeps an English copy of each shared page: a translator's import
    must reach it as an editor's publish does."""
    from courses.models import PageTranslation
    from courses.translation_services import page_translation_save

    lesson = _lessons(course)[0]
    with django_capture_on_commit_callbacks(execute=True):
        page_translation_save(page=lesson, language="en", texts={"title": "Lesson one"})
    assert len(queued) == 1

    cache.delete(public_pages.REFRESH_QUEUED_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        page_translation_save(page=lesson, language="en", texts={"title": "Lesson one"})
    assert len(queued) == 1  # the same text again: nothing to refresh

    with django_capture_on_commit_callbacks(execute=True):
        PageTranslation.objects.filter(page=lesson).delete()
    assert len(queued) == 2
