"""Issue 24.9: the header links an administrator to the admin pages and a
team leader to their team, from fields loaded with the user (no query of
their own on any page)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hocvuso.orgunits.models import AdminRole, TeamMembership

pytestmark = pytest.mark.django_db


def _header(client) -> str:
    page = client.get(reverse("my_courses")).text
    return re.search(r'<header class="topbar">.*?</header>', page, re.S).group(0)


def _queries(client) -> int:
    client.get(reverse("my_courses"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("my_courses"))
    return len(captured.captured_queries)


def test_an_admin_sees_the_admin_link_and_a_learner_does_not(client, org_tree):
    client.force_login(org_tree.admins["learner"])
    header = _header(client)
    assert "Quản trị" not in header and "Tổ của tôi" not in header
    learner_queries = _queries(client)
    for label in ("commune0.0", "province1", "superuser"):
        client.force_login(org_tree.admins[label])
        assert '<a href="/quan-tri/">Quản trị</a>' in _header(client), label
        assert _queries(client) == learner_queries, label


def test_a_team_leader_sees_their_team_and_loses_it_with_the_role(client, org_tree):
    leader = org_tree.admins["team_leader"]
    team = org_tree.teams[org_tree.villages[0].code]
    client.force_login(leader)
    header = _header(client)
    assert f'<a href="/quan-tri/to/{team.pk}/">Tổ của tôi</a>' in header
    assert "Quản trị" not in header  # a team leader administers no unit
    TeamMembership.objects.filter(user=leader).delete()
    assert "Tổ của tôi" not in _header(client)


def test_roles_given_and_taken_show_at_once(client, org_tree, make_learner):
    person = make_learner()
    client.force_login(person)
    role = AdminRole.objects.create(
        user=person, role="commune_admin", unit=org_tree.communes[0]
    )
    assert '<a href="/quan-tri/">Quản trị</a>' in _header(client)
    role.delete()
    assert "Quản trị" not in _header(client)
    AdminRole.objects.create(
        user=person, role="content_editor", unit=org_tree.communes[0]
    )
    assert '<a href="/cms/">Quản trị</a>' in _header(client)
