"""Issue 22 part 1: each province site has its own name, logo, colours,
welcome and contact; a site without the setting looks as before."""

import re

import pytest
from hocvuso.core.demo import demo_site_seed
from hocvuso.province_sites.models import ProvinceSite
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from .conftest import HOST_B

pytestmark = pytest.mark.django_db


def _brand(response) -> str:
    return re.search(r'<a class="brand" href="/">(.*?)</a>', response.text).group(1)


def _colours_link(response) -> str | None:
    found = re.search(r'href="(/hien-thi/mau\.css\?v=[0-9a-f]+)"', response.text)
    return found.group(1) if found else None


def test_a_site_without_the_setting_looks_as_before(client):
    demo_site_seed()

    response = client.get("/")

    assert _brand(response) == "Bình dân học vụ số"
    assert _colours_link(response) is None
    assert 'content="#0b5394"' in response.text
    assert "Liên hệ:" not in response.text


def test_each_province_site_shows_its_own_name_colours_and_contact(client, two_sites):
    on_a = client.get("/")
    on_b = client.get("/", HTTP_HOST=HOST_B)

    assert _brand(on_a) == "Học số Tỉnh Thử 0"
    assert _brand(on_b) == "Học số Tỉnh Thử 1"
    assert "Chào mừng người dân Tỉnh Thử 1." in on_b.text
    assert "Chào mừng" not in on_a.text
    assert 'href="tel:02353822000"' in on_a.text
    assert "lienhe@tinh0.test" in on_a.text
    assert "Liên hệ:" not in on_b.text
    css_a = client.get(_colours_link(on_a))
    css_b = client.get(_colours_link(on_b), HTTP_HOST=HOST_B)
    assert css_a["Content-Type"].startswith("text/css")
    assert "--blue: #aa0000" in css_a.text and "--blue-dark: #550000" in css_a.text
    assert "--blue: #006600" in css_b.text
    assert _colours_link(on_a) != _colours_link(on_b)


def test_an_edit_of_the_look_shows_on_the_next_page(client, two_sites):
    assert _brand(client.get("/", HTTP_HOST=HOST_B)) == "Học số Tỉnh Thử 1"
    two_sites.b.name = "Tên mới"
    two_sites.b.primary_colour = "#123456"
    two_sites.b.save()

    response = client.get("/", HTTP_HOST=HOST_B)

    assert _brand(response) == "Tên mới"
    assert "v=123456" in _colours_link(response)


def test_the_logo_is_shown_in_the_header(client, two_sites):
    two_sites.b.logo = Image.objects.create(
        title="Biểu trưng", file=get_test_image_file()
    )
    two_sites.b.save()

    brand = _brand(client.get("/", HTTP_HOST=HOST_B))

    assert re.match(r'<img src="/media/images/[^"]+" alt="" height="32">', brand)
    assert brand.endswith("Học số Tỉnh Thử 1")


# ------------------------------------------------------------ the CMS form

GOOD = {
    "name": "Học số Huế",
    "welcome": "",
    "primary_colour": "#0B5394",
    "dark_colour": "#073763",
    "contact_text": "",
    "contact_phone": "0234 3822 111",
    "contact_email": "",
}


def _cms_post(client, make_learner, data):
    demo_site_seed()
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    site = Site.objects.get(is_default_site=True)
    url = f"/cms/settings/province_sites/provincesite/{site.pk}/"
    client.get(url)  # the row exists from here on
    return client.post(url, data), ProvinceSite.objects.get(site=site)


def test_the_cms_saves_a_look_with_the_colours_in_lower_case(client, make_learner):
    response, setting = _cms_post(client, make_learner, GOOD)

    assert response.status_code == 302
    assert (setting.name, setting.primary_colour) == ("Học số Huế", "#0b5394")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("primary_colour", "red", "Màu phải có dạng #RRGGBB"),
        ("primary_colour", "#12345g", "Màu phải có dạng #RRGGBB"),
        ("dark_colour", "#0b5394;}", "tối đa 7 kí tự"),
        ("dark_colour", "#0b5\x0094", "Màu phải có dạng #RRGGBB"),
        ("dark_colour", "#0b539", "Màu phải có dạng #RRGGBB"),
        ("name", "Huế\x00", "ký tự điều khiển"),
        ("name", "H" * 5000, "tối đa 120 kí tự"),
        ("welcome", "Chào\x1b[31m", "ký tự điều khiển"),
        ("contact_text", "x" * 301, "tối đa 300 kí tự"),
        ("contact_phone", "gọi tôi", "Số điện thoại chỉ gồm chữ số"),
        ("contact_phone", "0234\x00", "ký tự điều khiển"),
        ("contact_email", "not-an-email", "địa chỉ email"),
    ],
)
def test_the_cms_refuses_a_bad_look_in_vietnamese(
    client, make_learner, field, value, message
):
    response, setting = _cms_post(client, make_learner, {**GOOD, field: value})

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message.lower() in errors.lower(), errors
    assert setting.name == ""  # nothing saved


def test_page_links_stay_on_the_site_that_shows_them(two_sites, build_catalog):
    """Both sites serve the same pages: a link made without a request (in a
    selector, an e-mail, a task) is a path, not the first site's host."""
    catalog = build_catalog(courses=1, lessons=1)

    assert catalog.url == "/khoa-hoc/"
    assert catalog.get_children().first().specific.url.startswith("/khoa-hoc/")
