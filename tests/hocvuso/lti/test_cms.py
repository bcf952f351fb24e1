"""The LMS registrations in the CMS: superusers only, every field checked
(https addresses, clean text, a bounded list of deployment ids), refusals
in Vietnamese; and the tool key's rotation keeps the old key published."""

import pytest
from django.core.management import call_command
from hocvuso.lti.models import LtiPlatform, ToolKey

pytestmark = pytest.mark.django_db

ADD = "/cms/lti_platform/new/"
GOOD = {
    "name": "Moodle Trường THPT Quốc Học",
    "issuer": "https://moodle.quochoc.edu.vn",
    "client_id": "Xk2a9Qp",
    "deployment_ids": "1\n 2 \n",
    "auth_login_url": "https://moodle.quochoc.edu.vn/mod/lti/auth.php",
    "auth_token_url": "https://moodle.quochoc.edu.vn/mod/lti/token.php",
    "key_set_url": "https://moodle.quochoc.edu.vn/mod/lti/certs.php",
    "enabled": "on",
}


@pytest.fixture
def superuser(make_learner, build_catalog):
    build_catalog(courses=1, lessons=1)
    return make_learner(is_superuser=True, is_staff=True)


def test_a_superuser_registers_a_platform(client, superuser):
    client.force_login(superuser)
    response = client.post(ADD, GOOD)
    assert response.status_code == 302
    platform = LtiPlatform.objects.get()
    assert platform.deployment_id_list == ["1", "2"]
    assert client.get("/cms/lti_platform/").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuer", "http://moodle.quochoc.edu.vn", "https://"),
        ("auth_login_url", "javascript:alert(1)", "https://"),
        ("auth_token_url", "https://user:pw@moodle.vn/token", "https://"),
        ("key_set_url", "https://moodle.vn/certs php", "https://"),
        ("key_set_url", "https://" + "a" * 400 + ".vn", ""),
        ("client_id", "có khoảng trắng", "khoảng trắng"),
        ("client_id", "abc\x00def", ""),
        ("name", "=cmd|' /C calc'!A0\x1b", ""),
        ("deployment_ids", "   \n  ", ""),  # required: Django's message
        ("deployment_ids", "\n".join(str(n) for n in range(60)), "Tối đa"),
    ],
)
def test_hostile_registration_fields_are_refused(
    client, superuser, field, value, message
):
    client.force_login(superuser)
    response = client.post(ADD, {**GOOD, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LtiPlatform.objects.exists()


def test_a_unit_administrator_cannot_reach_the_registrations(
    client, make_learner, build_catalog
):
    build_catalog(courses=1, lessons=1)
    client.force_login(make_learner(is_staff=True))
    for url in ("/cms/lti_platform/", ADD):
        response = client.get(url)
        assert response.status_code in (302, 403)
    assert client.post(ADD, GOOD).status_code in (302, 403)
    assert not LtiPlatform.objects.exists()


def test_rotating_the_key_keeps_the_old_one_published_until_removed(client, db):
    first = client.get("/lti/jwks/").json()["keys"][0]["kid"]
    call_command("lti_key_rotate")
    keys = [k["kid"] for k in client.get("/lti/jwks/").json()["keys"]]
    assert len(keys) == 2 and keys[1] == first and keys[0] != first
    assert ToolKey.objects.get(active=True).kid == keys[0]

    call_command("lti_key_rotate", "--remove-retired")

    assert [k["kid"] for k in client.get("/lti/jwks/").json()["keys"]] == [keys[0]]
