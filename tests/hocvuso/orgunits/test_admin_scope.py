"""DESIGN §5.5: every administrator sees and touches only their own subtree.

The matrix calls every admin page and endpoint that takes a unit, as every
administrator, for every unit of a generated tree; access must be allowed
exactly when the unit is in the administrator's subtree."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hocvuso.accounts.import_files import headers
from hocvuso.accounts.models import ImportJob
from hocvuso.orgunits.models import Assignment, Team, Unit, UnitLevel
from hocvuso.orgunits.selectors import admin_scope_get, teams_in_scope, units_in_scope
from hocvuso.orgunits.services import team_create, village_create
from wagtail.log_actions import log

from courses.models import CoursePage, ProgrammePage
from quizzes.models import Question

pytestmark = pytest.mark.django_db

DENIED = {302, 403, 404}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable  # (tree, unit) → url
    data: Callable | None = None  # (tree, unit) → POST data
    allowed_status: frozenset[int] = frozenset({200})
    # For views that answer every outcome with a redirect: where success goes.
    success_location: str | None = None
    # Who may use it besides the admins of the unit's subtree.
    also_allowed: Callable | None = None  # (tree, label, unit) → bool


ENDPOINTS = [
    Endpoint(
        "trang đơn vị",
        "get",
        lambda t, u: reverse("unit_admin_detail", args=[u.code]),
    ),
    Endpoint(
        "thêm thôn",
        "post",
        lambda t, u: reverse("unit_village_add", args=[u.code]),
        lambda t, u: {"name": "Thôn Ma Trận", "kind": "thôn"},
        frozenset({302, 400}),
    ),
    Endpoint(
        "thêm tổ",
        "post",
        lambda t, u: reverse("unit_team_add", args=[u.code]),
        lambda t, u: {"name": "Tổ Ma Trận"},
        frozenset({302, 400}),
    ),
    Endpoint(
        "CMS: sửa đơn vị",
        "get",
        lambda t, u: reverse("orgunits_unit:edit", args=[u.pk]),
    ),
    Endpoint(
        "CMS: sửa tổ",
        "get",
        lambda t, u: reverse("orgunits_team:edit", args=[t.teams[u.code].pk]),
    ),
    Endpoint(
        "CMS: xóa tổ (xác nhận)",
        "get",
        lambda t, u: reverse("orgunits_team:delete", args=[t.teams[u.code].pk]),
    ),
    Endpoint(
        "giao khóa học",
        "post",
        lambda t, u: reverse("unit_assignment_add", args=[u.code]),
        lambda t, u: {
            "what": f"c{CoursePage.objects.first().pk}",
            "starts_on": "2026-12-01",
            "due_on": "2026-12-31",
            "remind_days_before": "3",
        },
        frozenset({302}),
    ),
    Endpoint(
        "bỏ giao khóa học",
        "post",
        lambda t, u: reverse("unit_assignment_remove", args=[_fresh_assignment(t, u)]),
        lambda t, u: {},
        frozenset({302}),
    ),
    Endpoint(
        "trang tổ",
        "get",
        lambda t, u: reverse("team_detail", args=[t.teams[u.code].pk]),
        # A team leader's scope is their own team.
        also_allowed=lambda t, label, u: label == "team_leader" and u == t.villages[0],
    ),
    Endpoint(
        "cộng giờ làm bài",
        "post",
        lambda t, u: reverse("extra_time"),
        lambda t, u: {"quiz": t.quiz.pk, "minutes": "5", "unit_code": u.code},
        frozenset({302}),
        success_location="/cms/cong-gio/",
    ),
    Endpoint(
        "báo cáo hoàn thành",
        "get",
        lambda t, u: reverse("report_unit", args=[u.code]),
    ),
    Endpoint(
        "báo cáo: tải XLSX",
        "get",
        lambda t, u: reverse("report_xlsx", args=[u.code]),
    ),
    Endpoint(
        "báo cáo: danh sách học viên",
        "get",
        lambda t, u: reverse("report_learners", args=[u.code]),
    ),
    Endpoint(
        "báo cáo: chốt số liệu quý",
        "post",
        lambda t, u: reverse("report_snapshot_create", args=[u.code]),
        lambda t, u: {"quarter": "2026-Q4"},
        frozenset({302}),
    ),
    Endpoint(
        "đặt chỉ tiêu",
        "post",
        lambda t, u: reverse("unit_target_set", args=[u.code]),
        lambda t, u: {
            "programme": str(ProgrammePage.objects.first().pk),
            "learners": "100",
        },
        frozenset({302}),
    ),
]


def _one_row(unit: Unit) -> SimpleUploadedFile:
    if unit.level == UnitLevel.VILLAGE:
        commune, village = unit.get_parent().code, unit.name
    else:
        commune, village = unit.code, ""
    text = ",".join(headers()) + f"\nNguyễn Văn An,0912345678,,{commune},{village},,\n"
    return SimpleUploadedFile("mot-dong.csv", text.encode())


def _fresh_assignment(tree, unit) -> int:
    return Assignment.objects.create(
        course=CoursePage.objects.first(),
        unit=unit,
        starts_on=date(2026, 12, 1),
        due_on=date(2026, 12, 31),
    ).pk


def _team_for_every_unit(tree) -> None:
    for province in tree.provinces:
        tree.teams[province.code] = team_create(
            unit=province, name="Tổ Tỉnh đoàn", kind="youth_union"
        )


def test_every_admin_endpoint_allows_exactly_the_subtree(
    client, org_tree, build_catalog, make_quiz, capsys
):
    build_catalog(courses=1, lessons=1)
    org_tree.quiz = make_quiz(questions=2, draw=2)
    _team_for_every_unit(org_tree)
    tried = 0
    unexpected_allows: list[str] = []
    unexpected_denials: list[str] = []
    for label, user in org_tree.admins.items():
        client.force_login(user)
        for unit in org_tree.units:
            for endpoint in ENDPOINTS:
                url = endpoint.url(org_tree, unit)
                if endpoint.method == "get":
                    response = client.get(url)
                else:
                    response = client.post(url, endpoint.data(org_tree, unit))
                tried += 1
                allowed = response.status_code in endpoint.allowed_status and (
                    endpoint.success_location is None
                    or response.get("Location") == endpoint.success_location
                )
                expected = org_tree.allowed(label, unit) or bool(
                    endpoint.also_allowed
                    and endpoint.also_allowed(org_tree, label, unit)
                )
                where = f"{label} → {unit.code} {endpoint.name}: {response.status_code}"
                if allowed and not expected:
                    unexpected_allows.append(where)
                elif not allowed and expected:
                    unexpected_denials.append(where)
                assert allowed or response.status_code in DENIED, where
    # The import names its units in the rows: a row is accepted exactly when
    # its commune (and village) is in the importer's subtree.
    for label, user in org_tree.admins.items():
        client.force_login(user)
        for unit in org_tree.communes + org_tree.villages:
            response = client.post(reverse("import_start"), {"file": _one_row(unit)})
            tried += 1
            expected = org_tree.allowed(label, unit)
            where = f"{label} → {unit.code} nhập danh sách: {response.status_code}"
            if response.status_code == 403:
                allowed = False
            else:
                assert response.status_code == 302, where
                job = ImportJob.objects.latest("pk")
                allowed = job.outcomes[0]["errors"] == []
            if allowed and not expected:
                unexpected_allows.append(where)
            elif not allowed and expected:
                unexpected_denials.append(where)
    with capsys.disabled():
        print(
            f"\nauthorization matrix: {tried} combinations "
            f"({len(org_tree.admins)} users × {len(org_tree.units)} units × "
            f"{len(ENDPOINTS)} endpoints + import rows for every commune and "
            "village), unexpected allows: "
            f"{len(unexpected_allows)}, unexpected denials: {len(unexpected_denials)}"
        )
    assert unexpected_allows == []
    assert unexpected_denials == []


def test_scope_selectors_follow_the_roles(org_tree):
    commune_admin = org_tree.admins["commune0.1"]
    scope = admin_scope_get(user=commune_admin)
    commune = org_tree.communes[1]
    assert set(units_in_scope(scope=scope)) == set(
        Unit.objects.filter(path__startswith=commune.path)
    )
    assert len(units_in_scope(scope=scope)) == 4
    assert set(teams_in_scope(scope=scope)) == set(
        Team.objects.filter(unit__path__startswith=commune.path)
    )
    assert not admin_scope_get(user=org_tree.admins["team_leader"])
    assert not admin_scope_get(user=org_tree.admins["learner"])
    assert admin_scope_get(user=org_tree.admins["superuser"]).everything


def test_cms_lists_show_only_the_subtree(client, org_tree):
    client.force_login(org_tree.admins["commune1.2"])
    response = client.get(reverse("orgunits_team:index"))
    assert response.status_code == 200
    names = {t.name for t in Team.objects.all() if t.name in response.text}
    commune = org_tree.communes[5]
    assert names == {
        t.name for t in Team.objects.filter(unit__path__startswith=commune.path)
    }


def test_commune_admin_adds_a_village_and_a_team(client, org_tree):
    commune = org_tree.communes[0]
    client.force_login(org_tree.admins["commune0.0"])
    response = client.post(
        reverse("unit_village_add", args=[commune.code]),
        {"name": "Tổ dân phố Mới", "kind": "tổ dân phố"},
    )
    assert response.status_code == 302
    village = Unit.objects.get(name="Tổ dân phố Mới")
    assert village.get_parent() == commune and village.code == f"{commune.code}-04"
    response = client.post(
        reverse("unit_village_add", args=[commune.code]),
        {"name": "Thôn Đông\n\n  Thôn   Tây \nTổ dân phố Mới", "kind": "thôn"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="Thôn Tây").code == f"{commune.code}-06"
    assert Unit.objects.filter(name="Tổ dân phố Mới").count() == 1
    response = client.post(
        reverse("unit_village_add", args=[commune.code]),
        {"name": "\n".join(f"Thôn {n}" for n in range(201)), "kind": "thôn"},
    )
    assert "Mỗi lần thêm tối đa 200 thôn, tổ dân phố." in response.text
    assert not Unit.objects.filter(name="Thôn 200").exists()
    listing = SimpleUploadedFile(
        "thon.csv", "tên\nThôn Bắc\nThôn Nam,ghi chú\n\n".encode("utf-8-sig")
    )
    response = client.post(
        reverse("unit_village_add", args=[commune.code]),
        {"name": "", "file": listing, "kind": "thôn"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="Thôn Nam").get_parent() == commune
    response = client.post(
        reverse("unit_village_add", args=[commune.code]), {"name": "", "kind": "thôn"}
    )
    assert "Vui lòng nhập tên thôn, tổ dân phố hoặc chọn tệp." in response.text
    response = client.post(reverse("unit_team_add", args=[village.code]), {"name": " "})
    assert response.status_code == 400
    assert "Vui lòng nhập tên tổ." in response.text
    client.post(reverse("unit_team_add", args=[village.code]), {"name": "Tổ Số 1"})
    assert Team.objects.get(name="Tổ Số 1").unit == village


def test_profile_links_administrators_to_their_pages(client, org_tree):
    client.force_login(org_tree.admins["commune0.0"])
    assert reverse("unit_admin_home") in client.get(reverse("profile")).text
    client.force_login(org_tree.admins["learner"])
    assert reverse("unit_admin_home") not in client.get(reverse("profile")).text


def test_unit_page_queries_do_not_grow_with_its_content(
    client, org_tree, build_catalog
):
    build_catalog(courses=2, lessons=1)
    commune = org_tree.communes[0]
    client.force_login(org_tree.admins["province0"])
    url = reverse("unit_admin_detail", args=[commune.code])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    for n in range(8):
        village_create(commune=commune, name=f"Thôn thêm {n}", kind="thôn")
        team = team_create(unit=commune, name=f"Tổ thêm {n}")
        _fresh_assignment(org_tree, commune)
        Assignment.objects.create(
            course=CoursePage.objects.last(),
            team=team,
            starts_on=date(2026, 12, 1),
            due_on=date(2026, 12, 31),
        )
    assert count() == before


def test_cms_history_and_usage_views_of_units_and_teams_ignore_the_scope(
    client, org_tree
):
    """Issue 14.6: the viewsets' history and usage views looked the object up
    among every unit and team: a commune admin read other communes' and other
    provinces' team names, editors and times."""
    other_commune = org_tree.communes[4]  # Xã Thử 1.1, province 1
    team = org_tree.teams[other_commune.code]
    log(instance=team, action="wagtail.edit", user=org_tree.admins["province1"])
    log(
        instance=other_commune, action="wagtail.edit", user=org_tree.admins["province1"]
    )
    own_team = org_tree.teams[org_tree.communes[0].code]
    client.force_login(org_tree.admins["commune0.0"])
    for viewset, obj, own in (
        ("orgunits_team", team, own_team),
        ("orgunits_unit", other_commune, org_tree.communes[0]),
    ):
        for view in ("history", "history_results", "usage"):
            response = client.get(reverse(f"{viewset}:{view}", args=[obj.pk]))
            where = f"{viewset}:{view}"
            assert response.status_code in DENIED, where
            assert str(obj) not in response.text, where
            assert "qt_tinh_1" not in response.text, where
            response = client.get(reverse(f"{viewset}:{view}", args=[own.pk]))
            assert response.status_code == 200, where


def test_question_chooser_lists_every_bank_to_unit_admins(client, org_tree, make_quiz):
    """Issue 14.6: the CMS question chooser had no permission check, so a unit
    admin (let into the CMS for units and teams) read every bank's questions."""
    make_quiz(questions=2, draw=2)
    question = Question.objects.first()
    for label in ("commune0.0", "province0"):
        client.force_login(org_tree.admins[label])
        for view, args in (
            ("choose", []),
            ("choose_results", []),
            ("chosen", [question.pk]),
        ):
            url = reverse(f"wagtailsnippetchoosers_quizzes_question:{view}", args=args)
            response = client.get(url)
            assert response.status_code in DENIED, (label, view)
            assert question.text not in response.text, (label, view)
    client.force_login(org_tree.admins["superuser"])
    response = client.get(reverse("wagtailsnippetchoosers_quizzes_question:choose"))
    assert response.status_code == 200
    assert question.text in response.json()["html"]
