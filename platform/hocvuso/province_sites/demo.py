"""The demo's two province sites (issue 22): Quảng Ngãi on the default site
(127.0.0.1, localhost) and Thành phố Huế on hue.localhost, which browsers
resolve to this machine. Idempotent, as every demo step."""

import json
from pathlib import Path

from django.db import transaction
from wagtail.models import Site

from courses.demo import SeedCounts, course_create
from courses.models import CatalogPage, CoursePage
from hocvuso.accounts.models import LearnerType, User
from hocvuso.orgunits.models import AdminRole, AdminRoleKind, Unit

from .models import ProvinceSite
from .services import province_site_create

DEMO_SECOND_PROVINCE = "46"  # Thành phố Huế
DEMO_SECOND_HOST = "hue.localhost"
DEMO_SECOND_ADMIN = "quantrihue"
# The second site's own course (issue 22): only hue.localhost lists it.
DEMO_OWN_COURSE = Path(__file__).parent / "demo_content" / "hue-gioi-thieu.json"


@transaction.atomic
def demo_province_sites_seed(*, first_province: str, password: str) -> Site:
    """Binds the default site to `first_province` and creates the second
    province's site with its look and a province administrator."""
    default = Site.objects.get(is_default_site=True)
    ProvinceSite.objects.get_or_create(
        site=default,
        defaults={
            "province": Unit.objects.get(code=first_province),
            "name": "Học số Quảng Ngãi",
            "contact_text": "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
            "contact_phone": "0255 3822 000",
        },
    )
    result = province_site_create(
        province_code=DEMO_SECOND_PROVINCE,
        hostname=DEMO_SECOND_HOST,
        name="Học số Huế",
    )
    if result.created:
        look = result.setting
        # Huế's purple; white text stays readable on both.
        look.primary_colour, look.dark_colour = "#5b2a86", "#3b1657"
        look.welcome = "Người dân Thành phố Huế học kỹ năng số miễn phí."
        look.contact_text = "Sở Khoa học và Công nghệ thành phố Huế"
        look.contact_phone = "0234 3822 000"
        look.save()
    admin = User.objects.filter(username=DEMO_SECOND_ADMIN).first()
    if admin is None:
        admin = User(
            username=DEMO_SECOND_ADMIN,
            full_name="Hoàng Minh Tuấn",
            phone="+84901000006",
            phone_verified=True,
            learner_type=LearnerType.CITIZEN,
            is_staff=True,
        )
        admin.set_password(password)
        admin.save()
    AdminRole.objects.get_or_create(
        user=admin,
        role=AdminRoleKind.PROVINCE_ADMIN,
        unit=Unit.objects.get(code=DEMO_SECOND_PROVINCE),
    )
    demo_own_course_seed(site=result.site)
    return result.site


def demo_own_course_seed(*, site: Site) -> CoursePage | None:
    """A short course of the second site's own: how to use its site. No
    final test: its lessons complete it."""
    catalog = CatalogPage.objects.first()
    if catalog is None:
        return None
    definition = json.loads(DEMO_OWN_COURSE.read_text(encoding="utf-8"))
    course = course_create(catalog=catalog, course=definition, counts=SeedCounts())
    if course.owner_site_id != site.pk or course.completion_requires_test:
        course.owner_site = site
        course.completion_requires_test = False
        course.save_revision().publish()
    return course
