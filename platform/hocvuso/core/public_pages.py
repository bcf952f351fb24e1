"""Pages that are the same for every reader, cached whole in front of Django.

A lesson, a course outline or the catalogue reads the same to everyone
(issue 17): what is personal — progress, "done", the header's links, messages,
the form token — comes from one small request after the page has loaded
(`core/page_state.py`, `static/hocvuso/page_state.js`). Such a page is then
served by nginx's cache here and by any CDN in front of a national
deployment, and Django renders it once per cache period instead of once per
reader.

A view says "this response is public" with `public_response`; the middleware
then makes it cacheable, provided nothing personal slipped in: a response that
sets a cookie (a session, a message, a form token) is left private. The
cached copy depends on the path, the language cookie and the large-text
cookie only (nginx's cache key, `deploy/nginx/hocvuso.conf`), so a public page
must read nothing else of the request (no query string, no user).

An edit reaches readers at once: when an editor publishes, unpublishes,
moves or deletes a page, `shared_pages_refresh_queue` queues one refresh of
every shared page (a lesson changes its course outline and the catalogue
too), and `shared_pages_refresh` asks nginx for each copy again with the
token that replaces it (`PAGE_CACHE_REFRESH_URL`, `PAGE_CACHE_REFRESH_TOKEN`).
A page no longer live at a path keeps its last copy there until it expires:
nginx cannot drop one without its commercial purge module.
"""

import logging
import urllib.error
import urllib.request
from contextlib import suppress
from urllib.parse import quote, urlsplit

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete
from django.utils.cache import patch_cache_control

from .display import LARGE_TEXT_COOKIE

logger = logging.getLogger(__name__)

PUBLIC_ATTRIBUTE = "hocvuso_public"
REFRESH_HEADER = "X-Hocvuso-Refresh"
# Publishes within this many seconds (a course's lessons one after another,
# a page tree deleted) make one refresh, which starts after the last of them.
REFRESH_DELAY_SECONDS = 5
REFRESH_QUEUED_KEY = "pages:refresh-queued"
# One slow page must not hold the worker; a refresh stops once nginx has
# failed this often (down: its copies expire by themselves).
REFRESH_TIMEOUT_SECONDS = 10
REFRESH_MAX_FAILURES = 10


def public_response(response):
    setattr(response, PUBLIC_ATTRIBUTE, True)
    return response


def _without_cookie_in_vary(response) -> None:
    """Reading the session to learn that nobody is logged in (a middleware
    does, on every request) adds "Vary: Cookie"; the public page's content
    does not depend on it, and with it every logged-in reader would miss."""
    vary = [
        part.strip()
        for part in response.headers.get("Vary", "").split(",")
        if part.strip() and part.strip().lower() != "cookie"
    ]
    if vary:
        response.headers["Vary"] = ", ".join(vary)
    elif "Vary" in response.headers:
        del response.headers["Vary"]


class PublicPageMiddleware:
    """Outside the session, CSRF and message middlewares, so it sees what
    they added to the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(response, PUBLIC_ATTRIBUTE, False):
            return response
        if response.cookies or response.status_code != 200:
            patch_cache_control(response, private=True)
            return response
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        _without_cookie_in_vary(response)
        # Browsers ask again each time (the page is cheap to revalidate at the
        # cache, and the back button still shows the learner's new progress);
        # shared caches keep it for `seconds`. X-Accel-Expires is nginx's own,
        # and nginx does not pass it on.
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
        response.headers["X-Accel-Expires"] = str(seconds)
        return response


def _shared_page_models() -> list:
    """Every page type served shared: each has a personal state to fill in
    (SharedPageMixin, LessonPage)."""
    from wagtail.models import Page

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and hasattr(model, "personal_state")
    ]


def _hosts(site) -> list[str]:
    """The Host names readers reach a site by, which nginx's cache key holds:
    the site's own, and for the default site (it answers any name) the one of
    SITE_URL as well."""
    hosts = [site.hostname]
    public = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname
    if site.is_default_site and public and public not in hosts:
        hosts.append(public)
    return hosts


def _variants() -> list[str]:
    """The Cookie header of each copy nginx keeps of a page: language × text
    size (its cache key, deploy/nginx/hocvuso.conf)."""
    return [
        f"{settings.LANGUAGE_COOKIE_NAME}={language}; {LARGE_TEXT_COOKIE}={large}"
        for language, _name in settings.LANGUAGES
        for large in ("0", "1")
    ]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _refresh_requests(*, base_url: str, token: str):
    from wagtail.models import Page, Site

    sites = Site.objects.in_bulk()
    # The pages just published first: a full pass takes a while (a render
    # per copy, one at a time so readers keep the CPUs).
    pages = (
        Page.objects.live()
        .type(*_shared_page_models())
        .order_by(F("last_published_at").desc(nulls_last=True), "path")
    )
    # Province sites share the default site's pages (province_sites): a
    # page's copy is kept per host, so every site on the same root is asked.
    sharing: dict[int, list] = {}
    for site in sites.values():
        sharing.setdefault(site.root_page_id, []).append(site)
    for page in pages:
        site_id, _root, path = page.get_url_parts() or (None, None, None)
        if site_id not in sites or path is None:
            continue
        hosts = [
            host
            for site in sharing[sites[site_id].root_page_id]
            for host in _hosts(site)
        ]
        for host in dict.fromkeys(hosts):
            for cookie in _variants():
                yield urllib.request.Request(
                    base_url.rstrip("/") + quote(path),
                    headers={"Host": host, "Cookie": cookie, REFRESH_HEADER: token},
                )


def shared_pages_refresh(*, base_url: str, token: str) -> int:
    """Ask nginx at base_url for every copy of every live shared page, with
    the token that replaces the cached one; return how many were replaced.
    Failures are logged, never raised: the copies expire by themselves."""
    # Straight to nginx: no proxy from the environment, no redirect followed.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    refreshed = failures = 0
    first_failure = ""
    for request in _refresh_requests(base_url=base_url, token=token):
        try:
            with opener.open(request, timeout=REFRESH_TIMEOUT_SECONDS) as response:
                response.read()
            refreshed += 1
        except (OSError, ValueError) as error:  # URLError, HTTPError, timeouts
            failures += 1
            first_failure = first_failure or f"{request.full_url}: {error}"
            if failures >= REFRESH_MAX_FAILURES:
                break
    if failures:
        logger.warning(
            "Page cache refresh: %d replaced, %d failed (first: %s)",
            refreshed,
            failures,
            first_failure,
        )
    return refreshed


def shared_pages_refresh_queue() -> None:
    """Queue one refresh in REFRESH_DELAY_SECONDS unless one is queued: the
    task clears the mark before it reads the pages, so a later edit queues
    the next. Never fails the editor's request (the cache or the broker down:
    the copies expire by themselves)."""
    from .tasks import shared_pages_refresh_task

    # Without a token nginx replaces nothing: no request would help.
    if not (settings.PAGE_CACHE_REFRESH_URL and settings.PAGE_CACHE_REFRESH_TOKEN):
        return
    try:
        # The mark outlives a lost task only by a minute.
        if cache.add(REFRESH_QUEUED_KEY, 1, REFRESH_DELAY_SECONDS + 60):
            shared_pages_refresh_task.apply_async(countdown=REFRESH_DELAY_SECONDS)
    except Exception:
        logger.exception("Page cache refresh not queued")
        with suppress(Exception):
            cache.delete(REFRESH_QUEUED_KEY)


def _pages_changed(**_kwargs) -> None:
    transaction.on_commit(shared_pages_refresh_queue)


def connect_refresh_signals() -> None:
    """Per page model for deletes, as courses.page_cache does: a receiver
    for every model would slow Django's bulk deletes. A page's translation
    is a copy of its own in nginx (the language cookie): saved or removed,
    it is refreshed as a publish is; so is a video or audio (its version in
    a language, or the end of its transcoding: courses.services)."""
    from django.db.models.signals import post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from courses.models import LessonMedia, PageTranslation

    # A media's version in a language changes that language's copy of its
    # lessons (courses/media_versions.py).
    for sender in (PageTranslation, LessonMedia):
        for signal in (post_save, post_delete):
            signal.connect(
                _pages_changed,
                sender=sender,
                dispatch_uid=f"pages_refresh_{sender.__name__}_{signal}",
            )

    for model in apps.get_models():
        if issubclass(model, Page):
            post_delete.connect(
                _pages_changed, sender=model, dispatch_uid=f"pages_refresh_{model}"
            )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_pages_changed, dispatch_uid="pages_refresh_event")
