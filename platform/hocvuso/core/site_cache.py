"""The Wagtail site of a request, from the cache instead of two queries.

Wagtail finds the site for every page request (a query with a CASE ordering
that costs more to build than to run) and then reads its root page (another
query). Both are cached under the page-tree generation (courses.page_cache),
which any edit of a site or a page replaces.
"""

from django.http.request import split_domain_port
from wagtail.models import Site

from courses.page_cache import cached


def _site_with_root(request) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        # What route_for_request asks for: the root page, as its own type.
        site.root_page = site.root_page.localized.specific
    return site


def site_for_request(request) -> Site | None:
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    return cached(
        f"site:{hostname}:{port}", lambda: _site_with_root(request), in_process=True
    )


def request_site(request) -> Site | None:
    """The request's site: set by CachedSiteMiddleware, or found here for the
    requests that skip it (core.page_state_handler); kept on the request,
    where Wagtail's Site.find_for_request also looks."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = site_for_request(request)
    return request._wagtail_site


class CachedSiteMiddleware:
    """Sets request._wagtail_site, which Site.find_for_request then returns."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_site(request)
        return self.get_response(request)
