"""The Wagtail site of a request, from the cache instead of two queries.

Wagtail finds the site for every page request (a query with a CASE ordering
that costs more to build than to run) and then reads its root page (another
query). Both change only when an editor edits a site or a page, so the pair
is kept in the cache under a generation token that any such edit replaces.
The cache is shared by every worker (Redis in production), so an edit is
seen by all of them at once.
"""

from django.core.cache import cache
from django.http.request import split_domain_port
from django.utils.crypto import get_random_string
from wagtail.models import Page, Site

GENERATION_KEY = "core:site-generation"
TIMEOUT = 60 * 60
_NO_SITE = "none"


def sites_changed(**_kwargs) -> None:
    """Forget every cached site (a new generation)."""
    cache.set(GENERATION_KEY, get_random_string(12), None)


def _saved_or_deleted(sender, instance, **_kwargs) -> None:
    # Any page: a root page's url_path, title or liveness may have changed.
    # Pages are saved by editors, rarely; learners' writes are not pages.
    if isinstance(instance, (Page, Site)):
        sites_changed()


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = get_random_string(12)
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def site_for_request(request) -> Site | None:
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = f"core:site:{_generation()}:{hostname}:{port}"
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is not None:
            # What route_for_request asks for: the root page, as its own type.
            site.root_page = site.root_page.localized.specific
        cache.set(key, site if site is not None else _NO_SITE, TIMEOUT)
    return None if site == _NO_SITE else site


class CachedSiteMiddleware:
    """Sets request._wagtail_site, which Site.find_for_request then returns."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (post_save, post_delete):
        signal.connect(_saved_or_deleted, dispatch_uid="site_cache_saved")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(sites_changed, dispatch_uid="site_cache_page_event")
