"""The last two roles: a team leader sees their own team; a content editor
writes in the CMS, and only while holding the role."""

import pytest
from hocvuso.core.demo import demo_site_seed
from hocvuso.orgunits.models import AdminRole, Team, TeamMembership, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    province = Unit.add_root(
        code="51", name="Tỉnh Quảng Ngãi", level="province", kind="tỉnh"
    )
    commune = province.add_child(
        code="21025", name="Phường Cẩm Thành", level="commune", kind="phường"
    )
    return (
        Team.objects.create(name="Tổ CNSCĐ tổ dân phố 1", unit=commune),
        Team.objects.create(name="Tổ CNSCĐ tổ dân phố 2", unit=commune),
    )


def test_a_team_leader_sees_their_team_and_no_other(client, make_learner, teams):
    mine, other = teams
    leader, member = (
        make_learner(full_name="Đặng Văn Lộc"),
        make_learner(full_name="Lê Thị Hoa"),
    )
    TeamMembership.objects.create(team=mine, user=leader, role="leader")
    TeamMembership.objects.create(team=mine, user=member, role="member")
    client.force_login(leader)
    page = client.get(f"/quan-tri/to/{mine.pk}/").content.decode()
    assert "Lê Thị Hoa" in page and "Đã học 0 bài · đạt 0 bài kiểm tra" in page
    assert client.get(f"/quan-tri/to/{other.pk}/").status_code == 404
    assert (
        f"/quan-tri/to/{mine.pk}/" in client.get("/tai-khoan/ho-so/").content.decode()
    )
    client.force_login(member)  # a plain member is no leader
    assert client.get(f"/quan-tri/to/{mine.pk}/").status_code == 404


def test_commune_admin_sees_every_team_of_the_commune(client, make_learner, teams):
    admin = make_learner()
    AdminRole.objects.create(user=admin, role="commune_admin", unit=teams[0].unit)
    client.force_login(admin)
    assert all(client.get(f"/quan-tri/to/{t.pk}/").status_code == 200 for t in teams)


def test_content_editor_role_opens_the_cms_and_closing_it_shuts_it(
    client, make_learner, teams
):
    demo_site_seed()
    editor = make_learner()
    client.force_login(editor)
    assert client.get("/cms/snippets/quizzes/question/").status_code == 302
    role = AdminRole.objects.create(
        user=editor, role="content_editor", unit=teams[0].unit
    )
    assert client.get("/cms/snippets/quizzes/question/").status_code == 200
    assert client.get("/cms/pages/").status_code == 200
    role.delete()
    assert client.get("/cms/snippets/quizzes/question/").status_code == 302
