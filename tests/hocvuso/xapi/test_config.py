"""The LRS of a site, set in the CMS (Cài đặt › Kho dữ liệu học tập):
https only, the secret never shown back, hostile input refused in
Vietnamese, and only for the sites an administrator was given."""

import pytest
from django.contrib.auth.models import Group, Permission
from hocvuso.xapi.models import LrsSettings
from wagtail.models import GroupSitePermission, Site

pytestmark = pytest.mark.django_db

GOOD = {
    "enabled": "on",
    "endpoint": "https://lrs.hue.gov.vn/xapi/",
    "key": "hocvuso-hue",
    "secret": "mat-khau-rat-dai-1234",
}


def _url(site) -> str:
    return f"/cms/settings/xapi/lrssettings/{site.pk}/"


@pytest.fixture
def cms(client, make_learner, build_catalog):
    build_catalog(courses=1, lessons=1)
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    return client


def _post(client, data):
    site = Site.objects.get(is_default_site=True)
    response = client.post(_url(site), data)
    return response, LrsSettings.objects.filter(site=site).first()


def test_a_superuser_sets_the_lrs_and_the_secret_is_never_shown_back(cms):
    response, config = _post(cms, GOOD)
    assert response.status_code == 302
    assert config.active and config.endpoint == "https://lrs.hue.gov.vn/xapi"
    assert config.secret == GOOD["secret"]

    page = cms.get(_url(config.site)).content.decode()
    assert "hocvuso-hue" in page and GOOD["secret"] not in page

    # Saved again without typing the secret: the saved one stays.
    response, config = _post(cms, {**GOOD, "secret": "", "key": "khoa-moi"})
    assert response.status_code == 302
    assert (config.key, config.secret) == ("khoa-moi", GOOD["secret"])


ADDRESS_RULE = "phải bắt đầu bằng https://"
INTERNAL_RULE = "không phải một địa chỉ trong mạng nội bộ"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("endpoint", "http://lrs.hue.gov.vn/xapi", ADDRESS_RULE),
        ("endpoint", "javascript:alert(document.cookie)", ADDRESS_RULE),
        ("endpoint", "JaVaScRiPt://lrs.hue.gov.vn/%0aalert(1)", ADDRESS_RULE),
        ("endpoint", "file:///etc/passwd", ADDRESS_RULE),
        ("endpoint", "https://", ADDRESS_RULE),
        ("endpoint", "https://lrs.hue.gov.vn:99999/xapi", ADDRESS_RULE),
        ("endpoint", "https://quan-tri:matkhau@lrs.hue.gov.vn/xapi", ADDRESS_RULE),
        ("endpoint", "https://lrs.hue.gov.vn/xapi?token=1", ADDRESS_RULE),
        ("endpoint", "https://lrs.hue.gov.vn/x api", ADDRESS_RULE),
        ("endpoint", '=HYPERLINK("https://evil.example")', ADDRESS_RULE),
        ("endpoint", "../../etc/passwd", ADDRESS_RULE),
        ("endpoint", "https://lrs\x00.hue.gov.vn/xapi", "ký tự điều khiển"),
        ("endpoint", "https://lrs.hue.gov.vn/" + "a" * 5000, "tối đa 300 kí tự"),
        ("key", "khoa\x00", "ký tự điều khiển"),
        ("key", "khoa:mat-khau", "không được chứa dấu hai chấm"),
        ("key", "k" * 100_000, "tối đa 200 kí tự"),
        ("secret", "bi\x1bmat", "ký tự điều khiển"),
        ("endpoint", "", "Hãy nhập địa chỉ LRS trước khi bật"),
        # A province administrator must not make the worker probe the
        # servers' own network (server-side request forgery).
        ("endpoint", "https://10.0.0.5/xapi", INTERNAL_RULE),
        ("endpoint", "https://192.168.1.1:8443/xapi", INTERNAL_RULE),
        ("endpoint", "https://169.254.169.254/latest/meta-data", INTERNAL_RULE),
        ("endpoint", "https://[fd00::1]/xapi", INTERNAL_RULE),
        ("endpoint", "https://0.0.0.0/xapi", INTERNAL_RULE),
        ("endpoint", "https://[::ffff:10.0.0.5]/xapi", INTERNAL_RULE),
    ],
)
def test_a_hostile_lrs_setting_is_refused_in_vietnamese(cms, field, value, message):
    response, config = _post(cms, {**GOOD, field: value})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message.lower() in errors.lower(), errors
    assert config is None or not config.active  # nothing saved


def test_plain_http_to_this_computer_only_for_tests_and_development(cms, settings):
    local = {**GOOD, "endpoint": "http://127.0.0.1:8765/xapi"}
    response, config = _post(cms, local)
    assert response.status_code == 302 and config.endpoint == local["endpoint"]

    settings.XAPI_ALLOW_LOCAL_HTTP = False
    response, _ = _post(cms, local)
    assert response.status_code == 200
    assert ADDRESS_RULE in " ".join(response.context["form"].errors["endpoint"])


def test_a_province_admin_edits_only_the_site_they_were_given(
    client, org_tree, build_catalog
):
    build_catalog(courses=1, lessons=1)
    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(
        hostname="tinh1.localhost", port=80, root_page=default.root_page
    )
    group = Group.objects.create(name="Quản trị LRS tỉnh 1")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupSitePermission.objects.create(
        group=group,
        site=other,
        permission=Permission.objects.get(codename="change_lrssettings"),
    )
    admin = org_tree.admins["province1"]
    admin.groups.add(group)
    client.force_login(admin)

    assert client.get(_url(other)).status_code == 200
    response = client.post(_url(other), GOOD)
    assert response.status_code == 302
    assert LrsSettings.objects.get(site=other).active

    response = client.post(_url(default), GOOD)
    assert response.status_code in (302, 403)
    assert not LrsSettings.objects.filter(site=default, enabled=True).exists()
    if response.status_code == 302:
        assert _url(default) not in response["Location"]

    # Without the permission: nothing of the LRS at all.
    client.force_login(org_tree.admins["province0"])
    response = client.get(_url(other))
    assert response.status_code in (302, 403)
    assert "hocvuso-hue" not in response.content.decode()
