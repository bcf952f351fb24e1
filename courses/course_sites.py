"""Courses a province owns (issue 22): "the shared seven courses are reused,
and a province may add its own courses".

A course whose `owner_site` is set belongs to that Wagtail site (a province's
site): it, its lessons and its test are listed, opened, enrolled in and
taken only there, and answer 404 on every other site, the page state and the
API included. A course without an owner is shared by every site, as before.

Every page of the tree is reached from every site (the sites share their
pages), so the check is made where a page or a course is reached: Wagtail's
serve (the `before_serve_page` hook), the page state, the enrolment and
"done" views, the heartbeat and the test's API; the lists filter with
`courses_on_site`. nginx keeps a copy per host (deploy/nginx/hocvuso.conf),
so a page's 404 on one site and its copy on another never mix.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from hocvuso.core.site_cache import request_site

from .models import CoursePage
from .page_cache import cached


def _owned_course_paths() -> dict[str, int]:
    """Tree path of each province-owned course → its site id, kept under the
    page-tree generation (a course's save replaces it): no query per page."""

    def compute() -> dict[str, int]:
        return dict(
            CoursePage.objects.filter(owner_site__isnull=False).values_list(
                "path", "owner_site_id"
            )
        )

    return cached("owned-courses", compute, in_process=True)


def request_site_id(request) -> int | None:
    site = request_site(request)
    return site.pk if site is not None else None


def page_on_site(page, site_id: int | None) -> bool:
    """False when `page` is (or is inside) a course owned by another site."""
    owned = _owned_course_paths()
    if not owned:
        return True
    steplen = CoursePage.steplen
    for end in range(steplen, len(page.path) + 1, steplen):
        owner = owned.get(page.path[:end])
        if owner is not None:
            return owner == site_id
    return True


def page_on_request_site_or_404(request, page) -> None:
    if not page_on_site(page, request_site_id(request)):
        raise Http404


def courses_on_site(courses: QuerySet, site_id: int | None) -> QuerySet:
    """The shared courses and those the site owns."""
    return courses.filter(Q(owner_site__isnull=True) | Q(owner_site_id=site_id))
