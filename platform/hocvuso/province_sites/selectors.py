"""Which province a request's site belongs to, and how it looks.

Read on every page (the header, the colours, the place picker), so it is a
small plain value cached under the page-tree generation with the site itself
(courses.page_cache); an edit of the setting replaces the generation.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from wagtail.models import Site

from courses.models import CoursePage
from courses.page_cache import cached
from hocvuso.core.site_cache import request_site
from hocvuso.orgunits.models import Unit

from .models import DEFAULT_DARK, DEFAULT_PRIMARY, ProvinceSite

LOGO_RENDITION = "height-96"


@dataclass(frozen=True)
class SiteLook:
    name: str = ""
    welcome: str = ""
    logo_url: str = ""
    primary_colour: str = DEFAULT_PRIMARY
    dark_colour: str = DEFAULT_DARK
    contact_text: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    # The site's province, or "" on the national site.
    province_code: str = ""
    province_name: str = ""
    province_path: str = ""

    @property
    def own_colours(self) -> bool:
        return (self.primary_colour, self.dark_colour) != (
            DEFAULT_PRIMARY,
            DEFAULT_DARK,
        )

    @property
    def colours_version(self) -> str:
        """Part of the stylesheet's URL, so a new colour is fetched at once."""
        return f"{self.primary_colour[1:]}{self.dark_colour[1:]}"

    def holds(self, unit: Unit | None) -> bool:
        """Whether `unit` is in the site's province (everything is on the
        national site)."""
        if not self.province_path:
            return True
        return unit is not None and unit.path.startswith(self.province_path)


NATIONAL = SiteLook()


def _look_read(site_id: int) -> SiteLook:
    setting = (
        ProvinceSite.objects.filter(site_id=site_id)
        .select_related("province", "logo")
        .first()
    )
    if setting is None:
        return NATIONAL
    province = setting.province
    return SiteLook(
        name=setting.name,
        welcome=setting.welcome,
        logo_url=setting.logo.get_rendition(LOGO_RENDITION).url if setting.logo else "",
        primary_colour=setting.primary_colour,
        dark_colour=setting.dark_colour,
        contact_text=setting.contact_text,
        contact_phone=setting.contact_phone,
        contact_email=setting.contact_email,
        province_code=province.code if province else "",
        province_name=province.name if province else "",
        province_path=province.path if province else "",
    )


def site_look_get(*, site: Site | None) -> SiteLook:
    if site is None:
        return NATIONAL
    return cached(f"site-look:{site.pk}", lambda: _look_read(site.pk), in_process=True)


def request_look(request) -> SiteLook:
    """The look of the site the request came to (cached on the request)."""
    look = getattr(request, "_site_look", None)
    if look is None:
        look = site_look_get(site=request_site(request))
        request._site_look = look
    return look


def site_for_learner(*, user) -> Site | None:
    """The site of the province the learner lives in, or None
    (settings.CERTIFICATES_SITE_FOR_LEARNER: whose certificate template and
    issuer their certificates carry)."""
    if not user.unit_id:
        return None
    path = Unit.objects.filter(pk=user.unit_id).values_list("path", flat=True).first()
    if path is None:
        return None
    setting = (
        ProvinceSite.objects.filter(province__path=path[: Unit.steplen])
        .select_related("site")
        .first()
    )
    return setting.site if setting else None


def editor_site_ids(*, user) -> list[int]:
    """The sites of the provinces where `user` holds the content-editor role
    (settings.COURSES_EDITOR_SITES): they may create their own courses."""
    from hocvuso.orgunits.models import AdminRole, AdminRoleKind

    provinces = AdminRole.objects.filter(
        user=user, role=AdminRoleKind.CONTENT_EDITOR
    ).values("unit_id")
    return list(
        ProvinceSite.objects.filter(province__in=provinces).values_list(
            "site_id", flat=True
        )
    )


def courses_in_scope(*, scope) -> QuerySet[CoursePage]:
    """The live courses an administrator may assign, report on or train for:
    the shared ones and those owned by the site of a province their scope
    lies in (courses.course_sites); every course for a superuser."""
    courses = CoursePage.objects.live().order_by("topic_number", "title")
    if scope.everything:
        return courses
    provinces = {path[: Unit.steplen] for path in scope.paths}
    sites = ProvinceSite.objects.filter(province__path__in=provinces).values("site_id")
    return courses.filter(Q(owner_site__isnull=True) | Q(owner_site_id__in=sites))
