"""Issue 22: the CMS screen "Tạo trang tỉnh" makes a province's site as
`province_site_create` does, for the superuser only, and answers hostile
input with a Vietnamese message, never a 500."""

import pytest
from django.urls import reverse
from hocvuso.accounts.models import User
from hocvuso.core.demo import demo_site_seed
from hocvuso.orgunits.models import Unit, UnitLevel
from hocvuso.province_sites.models import ProvinceSite
from wagtail.models import Site

from certificates.models import CertificateSettings

pytestmark = pytest.mark.django_db

HUE = "46"
URL = "/cms/trang-tinh/tao/"


@pytest.fixture
def national_admin(client):
    demo_site_seed()
    user = User.objects.create_superuser(username="quoc_gia", password="Matkhau@2025")
    client.force_login(user)
    return user


def _post(client, **data):
    return client.post(URL, {"province": HUE, "hostname": "hue.localhost", **data})


def test_the_form_offers_the_bundled_provinces_and_creates_a_site(
    client, national_admin, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    assert reverse("province_sites_add") == URL
    form = client.get(URL).content.decode()
    assert '<option value="46">46 — Thành phố Huế</option>' in form
    assert '<option value="51">51 — Tỉnh Quảng Ngãi</option>' in form
    assert URL in client.get("/cms/").content.decode()  # in the settings menu

    response = _post(client, name="Huế học số")

    site = Site.objects.get(hostname="hue.localhost")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailsettings:edit", args=["province_sites", "provincesite", site.pk]
    )
    setting = ProvinceSite.objects.get(site=site)
    assert setting.name == "Huế học số" and setting.province.code == HUE
    assert Unit.objects.get(code=HUE, level=UnitLevel.PROVINCE).get_children().exists()
    assert CertificateSettings.objects.get(site=site).serial_prefix == "HUE"
    shown = client.get(response["Location"]).content.decode()
    assert "Đã tạo trang Huế học số tại hue.localhost" in shown
    assert "ALLOWED_HOSTS" not in shown


def test_a_host_the_server_does_not_accept_is_pointed_out(client, national_admin):
    response = client.post(
        URL, {"province": HUE, "hostname": "hoc.hue.gov.vn"}, follow=True
    )
    assert "Máy chủ chưa nhận tên miền hoc.hue.gov.vn" in response.content.decode()


def test_a_taken_host_or_an_already_sited_province_is_refused(client, national_admin):
    assert _post(client).status_code == 302
    sites = Site.objects.count()

    again = _post(client)
    assert again.status_code == 400
    assert "Tỉnh này đã có trang tại hue.localhost" in again.content.decode()
    other_host = _post(client, hostname="hoc.hue.localhost")
    assert "Tỉnh này đã có trang tại hue.localhost" in other_host.content.decode()
    taken = _post(client, province="51")
    assert "Tên miền hue.localhost đã được dùng cho một trang khác" in (
        taken.content.decode()
    )
    assert Site.objects.count() == sites
    assert not Unit.objects.filter(code="51").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"hostname": "hue localhost"}, "không hợp lệ"),
        ({"hostname": "hue.localhost:8000"}, "không hợp lệ"),
        ({"hostname": "../etc/passwd"}, "không hợp lệ"),
        ({"hostname": "hue..localhost"}, "không hợp lệ"),
        ({"hostname": "http://hue.localhost/"}, "không hợp lệ"),
        ({"hostname": "hue\x00.localhost"}, "ký tự điều khiển"),
        ({"hostname": "a" * 300}, "tối đa 253"),
        ({"hostname": "hue_site.localhost"}, "không hợp lệ"),
        ({"hostname": "hue.localhost/../admin"}, "không hợp lệ"),
        ({"name": "Huế\x00"}, "ký tự điều khiển"),
        ({"name": "=HYPERLINK(1)" + "x" * 200}, "tối đa 120"),
        ({"province": "99"}, "Hãy chọn một tỉnh trong danh sách"),
        ({"province": "../46"}, "Hãy chọn một tỉnh trong danh sách"),
        ({"province": ""}, "bắt buộc"),
    ],
)
def test_hostile_input_gets_a_vietnamese_message_and_creates_nothing(
    client, national_admin, data, message
):
    sites = Site.objects.count()
    response = _post(client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Site.objects.count() == sites
    assert not ProvinceSite.objects.exists()


def test_a_unicode_host_name_is_stored_in_its_idna_form(client, national_admin):
    assert _post(client, hostname="học.huế.localhost").status_code == 302
    assert Site.objects.filter(hostname="xn--hc-68s.xn--hu-07s.localhost").exists()


def test_only_the_superuser_reaches_it(client, national_admin):
    editor = User.objects.create_user(username="bien_tap", is_staff=True)
    client.force_login(editor)
    assert client.get(URL).status_code in (302, 403)
    assert _post(client).status_code in (302, 403)
    assert not Site.objects.filter(hostname="hue.localhost").exists()
