"""Two province sites over the org_tree fixture's two provinces: A on the
default site (the test client's host), B on its own host name."""

from dataclasses import dataclass

import pytest
from hocvuso.core.demo import demo_site_seed
from hocvuso.orgunits.models import Unit
from hocvuso.province_sites.models import ProvinceSite
from wagtail.models import Site

HOST_B = "tinh1.localhost"


@dataclass
class TwoSites:
    a: ProvinceSite
    b: ProvinceSite
    province_a: Unit
    province_b: Unit


@pytest.fixture
def two_sites(org_tree, settings) -> TwoSites:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    home = demo_site_seed()
    default = Site.objects.get(is_default_site=True)
    a = ProvinceSite.objects.create(
        site=default,
        province=org_tree.provinces[0],
        name="Học số Tỉnh Thử 0",
        primary_colour="#aa0000",
        dark_colour="#550000",
        contact_text="Sở Khoa học và Công nghệ Tỉnh Thử 0",
        contact_phone="0235 3822 000",
        contact_email="lienhe@tinh0.test",
    )
    site_b = Site.objects.create(
        hostname=HOST_B, port=80, root_page=home, site_name="Tỉnh Thử 1"
    )
    b = ProvinceSite.objects.create(
        site=site_b,
        province=org_tree.provinces[1],
        name="Học số Tỉnh Thử 1",
        welcome="Chào mừng người dân Tỉnh Thử 1.",
        primary_colour="#006600",
        dark_colour="#003300",
    )
    return TwoSites(
        a=a, b=b, province_a=org_tree.provinces[0], province_b=org_tree.provinces[1]
    )
