"""Issue 15, finding 12: the learner list's download links work from the
report's default view, and a hand-edited id answers 404, never 500."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_learner_list_download_links_work_from_the_default_view(
    client, org_tree, catalog_and_quiz
):
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("report_learners", args=[org_tree.villages[0].code])
    page = client.get(url)  # as linked from the report opened without filters
    assert page.status_code == 200
    links = re.findall(r'href="(\?[^"]*format=(?:xlsx|csv))"', page.content.decode())
    assert len(links) == 2
    for link in links:
        response = client.get(url + link.replace("&amp;", "&"))
        assert response.status_code == 200, link


@pytest.mark.parametrize(
    "path",
    [
        "/quan-tri/bao-cao/chot/{id}/",
        "/quan-tri/bao-cao/chot/{id}/xlsx/",
        "/quan-tri/bao-cao/tep/{id}/",
        "/quan-tri/bao-cao/tep/{id}/tai/",
    ],
)
def test_a_hand_edited_id_answers_404(client, org_tree, path):
    client.force_login(org_tree.admins["commune0.0"])
    assert client.get(path.format(id="9" * 25)).status_code == 404
