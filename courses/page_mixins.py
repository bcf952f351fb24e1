"""Page serving with a fixed, small number of queries.

Wagtail walks the URL one segment at a time (two queries per level) and reads
view restrictions with two more; a lesson four levels deep costs nine queries
before our own code runs. These mixins do the same work in three.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult


class UrlPathRoutingMixin:
    """For the site root: find the page for the whole path in one lookup.

    Falls back to Wagtail's segment-by-segment routing when no page has that
    exact url_path, so pages with their own route() keep working.
    """

    def route(self, request, path_components):
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            page = Page.objects.live().filter(url_path=url_path).specific().first()
            if page is not None:
                return RouteResult(page)
        return super().route(request, path_components)


class SingleQueryViewRestrictionsMixin:
    def get_view_restrictions(self):
        """The restrictions on this page and its ancestors, in one query.

        Matches Wagtail's rule that an alias uses its source page's restrictions.
        """
        steplen = self.steplen
        paths = [self.path[:i] for i in range(steplen, len(self.path) + 1, steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True)
            | Q(page__aliases__path__in=paths)
        ).distinct()
