"""Issue 24.9: teams are created in one place, the unit's admin page; the
CMS lists, edits and deletes them but offers no "add"."""

import pytest
from django.urls import reverse
from hocvuso.orgunits.models import Team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("label", ["commune0.0", "province0", "superuser"])
def test_the_cms_offers_no_way_to_add_a_team(client, org_tree, label):
    client.force_login(org_tree.admins[label])
    add_url = reverse("orgunits_team:add")
    index = client.get(reverse("orgunits_team:index"))
    assert index.status_code == 200
    assert add_url not in index.text
    before = Team.objects.count()
    commune = org_tree.communes[0]
    response = client.post(
        add_url, {"name": "Tổ Trong CMS", "kind": "community", "unit": commune.pk}
    )
    assert response.status_code in (302, 403) and response.get("Location") != (
        reverse("orgunits_team:index")
    )
    assert Team.objects.count() == before
    # The unit's admin page is the place, and it says so.
    page = client.get(reverse("unit_admin_detail", args=[commune.code])).text
    assert reverse("unit_team_add", args=[commune.code]) in page
    response = client.post(
        reverse("unit_team_add", args=[commune.code]), {"name": "Tổ Mới Ở Xã"}
    )
    assert response.status_code == 302
    assert Team.objects.filter(unit=commune, name="Tổ Mới Ở Xã").exists()
