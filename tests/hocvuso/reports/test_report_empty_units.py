"""Issue 24, finding 8: empty units can be hidden, and the demo's
administrator accounts are not counted as learners."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hocvuso.accounts.models import User
from hocvuso.core.demo import (
    DEMO_ACCOUNTS,
    DEMO_COMMUNE,
    DEMO_PROVINCE,
    demo_accounts_seed,
)
from hocvuso.orgunits.models import Unit, UnitLevel
from hocvuso.orgunits.services import village_create

from courses.demo import SeedCounts

pytestmark = pytest.mark.django_db


def test_empty_units_can_be_hidden_and_shown_again(client, org_tree, dataset):
    village_create(commune=org_tree.communes[0], name="Thôn Vắng", kind="thôn")
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_unit", args=[org_tree.communes[0].code])
    query = urlencode({"subject": f"programme:{dataset.programme.pk}", "audience": ""})
    page = client.get(f"{url}?{query}")
    assert "Thôn Vắng" in [r.name for r in page.context["rows"]]
    assert "Ẩn đơn vị không có số liệu (1)" in page.text
    hidden = client.get(f"{url}?{query}&hide_empty=1&sort=name&desc=1")
    names = [r.name for r in hidden.context["rows"]]
    assert "Thôn Vắng" not in names and names
    assert all(r.figures.in_scope for r in hidden.context["rows"])
    assert "Hiện cả đơn vị không có số liệu" in hidden.text
    assert "hide_empty=1" in hidden.context["headers"][0]["query"]  # sorting keeps it


def test_demo_administrators_are_not_learners(db):
    province = Unit.add_root(
        code=DEMO_PROVINCE, name="Tỉnh Demo", level=UnitLevel.PROVINCE, kind="tỉnh"
    )
    commune = province.add_child(
        code=DEMO_COMMUNE, name="Phường Demo", level=UnitLevel.COMMUNE, kind="phường"
    )
    village = village_create(commune=commune, name="Tổ 1", kind="tổ dân phố")
    users = {
        u.username: u for u in demo_accounts_seed(village=village, counts=SeedCounts())
    }
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(pk=users[account.username].pk)
        if account.role:
            assert user.unit is None, account.username
        else:
            assert user.unit == village
