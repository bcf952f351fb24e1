"""Issue 22 part 3: `manage.py province_site_create` makes a province's site
in one step from the bundled unit list, and changes nothing the second time."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hocvuso.core.demo import demo_site_seed
from hocvuso.orgunits.models import Unit, UnitLevel
from hocvuso.province_sites.models import ProvinceSite
from wagtail.models import Site

from certificates.models import CertificateSettings

pytestmark = pytest.mark.django_db

HUE = "46"


def _create(**options) -> str:
    out = StringIO()
    call_command("province_site_create", stdout=out, **options)
    return out.getvalue()


def test_one_command_makes_a_province_site_with_its_units_and_issuer(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    home = demo_site_seed()

    out = _create(province=HUE, host="Hue.Localhost")

    assert "Đã tạo trang Thành phố Huế tại hue.localhost" in out
    province = Unit.objects.get(code=HUE, level=UnitLevel.PROVINCE)
    assert province.get_children().filter(level=UnitLevel.COMMUNE).count() > 30
    site = Site.objects.get(hostname="hue.localhost")
    # The same pages: the seven courses, progress and certificates are shared.
    assert site.root_page_id == home.pk
    setting = ProvinceSite.objects.get(site=site)
    assert (setting.province, setting.name) == (province, "Thành phố Huế")
    brand = CertificateSettings.objects.get(site=site)
    assert brand.issuer_name == "Sở Khoa học và Công nghệ thành phố Huế"
    assert (brand.serial_prefix, brand.signer_name) == ("HUE", "")
    response = client.get("/", HTTP_HOST="hue.localhost")
    assert '<a class="brand" href="/">Thành phố Huế</a>' in response.text


def test_a_second_run_changes_nothing(settings):
    demo_site_seed()
    _create(province=HUE, host="hue.localhost", name="Huế học số")
    counts = (Site.objects.count(), Unit.objects.count(), ProvinceSite.objects.count())

    out = _create(province=HUE, host="hue.localhost", name="Huế học số")

    assert "Đã có sẵn trang Huế học số" in out
    assert (
        Site.objects.count(),
        Unit.objects.count(),
        ProvinceSite.objects.count(),
    ) == counts


def test_a_host_not_in_allowed_hosts_is_pointed_out(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    demo_site_seed()

    out = _create(province=HUE, host="hoc.hue.gov.vn")

    assert "Thêm hoc.hue.gov.vn vào ALLOWED_HOSTS" in out


def test_a_vietnamese_host_name_is_kept_in_its_idna_form():
    demo_site_seed()

    _create(province=HUE, host="huế.vn")

    assert Site.objects.filter(hostname="xn--hu-07s.vn").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"province": "99", "host": "x.localhost"}, "Không có tỉnh mã 99"),
        ({"province": "abc", "host": "x.localhost"}, "Mã tỉnh “abc” không hợp lệ"),
        ({"province": "4\x006", "host": "x.localhost"}, "không hợp lệ"),
        ({"province": "4" * 5000, "host": "x.localhost"}, "không hợp lệ"),
        ({"province": HUE, "host": "localhost"}, "đã được dùng cho một trang khác"),
        ({"province": HUE, "host": "hue.localhost:8000"}, "không hợp lệ"),
        ({"province": HUE, "host": "http://hue.vn/"}, "không hợp lệ"),
        ({"province": HUE, "host": "hue..vn"}, "không hợp lệ"),
        ({"province": HUE, "host": "hue-.vn"}, "không hợp lệ"),
        ({"province": HUE, "host": "hu\x00e.vn"}, "không hợp lệ"),
        ({"province": HUE, "host": "a" * 300}, "không hợp lệ"),
        ({"province": HUE, "host": ""}, "không hợp lệ"),
        # IDNA 2003 (Python's codec) maps these to valid-looking xn-- names;
        # IDNA 2008 refuses them: no emoji, no direction override, no
        # invisible joiner in a province's address.
        ({"province": HUE, "host": "🎓.vn"}, "không hợp lệ"),
        ({"province": HUE, "host": "hue\u202e.vn"}, "không hợp lệ"),
        ({"province": HUE, "host": "h\u200due.vn"}, "không hợp lệ"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(options, message):
    demo_site_seed()
    before = (Site.objects.count(), Unit.objects.count())

    with pytest.raises(CommandError, match=message):
        _create(**options)

    assert (Site.objects.count(), Unit.objects.count()) == before


def test_a_province_already_on_a_site_is_refused(settings):
    demo_site_seed()
    _create(province=HUE, host="hue.localhost")

    with pytest.raises(CommandError, match="Tỉnh này đã có trang tại hue.localhost"):
        _create(province=HUE, host="hue2.localhost")
