"""Page serving with few queries, most of them answered from the cache.

Wagtail walks the URL one segment at a time (two queries per level) and reads
view restrictions with two more; a lesson four levels deep costs nine queries
before our own code runs. These mixins find the page by its whole path and
remember it, and skip the restriction query when no restriction can apply,
both under the page-tree generation (page_cache), which every edit replaces.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from .page_cache import cached


def _live_page_at(url_path: str) -> Page | None:
    return cached(
        f"route:{url_path}",
        lambda: Page.objects.live().filter(url_path=url_path).specific().first(),
    )


def _restricted_paths() -> frozenset[str]:
    """Paths of the pages a view restriction applies to directly: a restricted
    page (not an alias) and every alias of a restricted page."""

    def compute() -> frozenset[str]:
        restricted = PageViewRestriction.objects.values("page_id")
        return frozenset(
            Page.objects.filter(
                Q(pk__in=restricted, alias_of__isnull=True) | Q(alias_of__in=restricted)
            ).values_list("path", flat=True)
        )

    return cached("restricted", compute)


class UrlPathRoutingMixin:
    """For the site root: find the page for the whole path in one lookup.

    Falls back to Wagtail's segment-by-segment routing when no page has that
    exact url_path, so pages with their own route() keep working.
    """

    def route(self, request, path_components):
        if path_components:
            page = _live_page_at(f"{self.url_path}{'/'.join(path_components)}/")
            if page is not None:
                return RouteResult(page)
        return super().route(request, path_components)


class SingleQueryViewRestrictionsMixin:
    def get_view_restrictions(self):
        """The restrictions on this page and its ancestors, in one query, or
        none when no restriction applies to any of them.

        Matches Wagtail's rule that an alias uses its source page's restrictions.
        """
        steplen = self.steplen
        paths = [self.path[:i] for i in range(steplen, len(self.path) + 1, steplen)]
        if _restricted_paths().isdisjoint(paths):
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True)
            | Q(page__aliases__path__in=paths)
        ).distinct()
