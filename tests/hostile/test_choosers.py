"""Issue 15, item 12: a hand-edited id in a CMS chooser field (the
certificate seal, a page, a snippet) gave a 500 while Wagtail drew the form
again; it is a form error like any other bad value."""

import pytest
from hocvuso.core.demo import demo_site_seed
from wagtail.models import Site

from certificates.models import CertificateSettings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seal", ["abc", "1.5", "9" * 25, "-1"])
def test_a_hand_edited_seal_id_answers_with_a_form_error(client, make_learner, seal):
    demo_site_seed()
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    site = Site.objects.get(is_default_site=True)
    url = f"/cms/settings/certificates/certificatesettings/{site.pk}/"
    client.get(url)  # the settings row exists from here on

    response = client.post(url, {"seal": seal, "issuer_name": "Sở KH&CN"})

    assert response.status_code == 200
    assert response.context["form"].errors["seal"]
    assert CertificateSettings.objects.get(site=site).seal_id is None
