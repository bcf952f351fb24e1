"""An organisation tree of our own: 2 provinces × 3 communes × 3 villages,
one team per commune and per village, and an administrator at every level."""

from dataclasses import dataclass, field

import pytest
from hocvuso.accounts.models import User
from hocvuso.orgunits.models import AdminRole, AdminRoleKind, Team, Unit, UnitLevel
from hocvuso.orgunits.services import (
    team_create,
    team_membership_set,
    village_create,
)


@dataclass
class OrgTree:
    provinces: list[Unit] = field(default_factory=list)
    communes: list[Unit] = field(default_factory=list)
    villages: list[Unit] = field(default_factory=list)
    teams: dict[str, Team] = field(default_factory=dict)  # unit code → team
    admins: dict[str, User] = field(default_factory=dict)  # label → user
    # label → the unit whose subtree the user may administer (None: nothing)
    admin_units: dict[str, Unit | None] = field(default_factory=dict)

    @property
    def units(self) -> list[Unit]:
        return self.provinces + self.communes + self.villages

    def allowed(self, label: str, unit: Unit) -> bool:
        if label == "superuser":
            return True
        root = self.admin_units[label]
        return root is not None and unit.path.startswith(root.path)


def _user(username: str, **extra) -> User:
    return User.objects.create_user(
        username=username, password="Matkhau@2025", full_name=username, **extra
    )


@pytest.fixture
def org_tree(db) -> OrgTree:
    tree = OrgTree()
    for p in range(2):
        province = Unit.add_root(
            code=f"9{p}", name=f"Tỉnh Thử {p}", level=UnitLevel.PROVINCE, kind="tỉnh"
        )
        tree.provinces.append(province)
        user = _user(f"qt_tinh_{p}")
        AdminRole.objects.create(
            user=user, role=AdminRoleKind.PROVINCE_ADMIN, unit=province
        )
        tree.admins[f"province{p}"] = user
        tree.admin_units[f"province{p}"] = province
        for c in range(3):
            province.refresh_from_db()
            commune = province.add_child(
                code=f"9{p}00{c}",
                name=f"Xã Thử {p}.{c}",
                level=UnitLevel.COMMUNE,
                kind="xã",
            )
            tree.communes.append(commune)
            tree.teams[commune.code] = team_create(
                unit=commune, name=f"Tổ CNSCĐ xã {p}.{c}"
            )
            user = _user(f"qt_xa_{p}_{c}")
            AdminRole.objects.create(
                user=user, role=AdminRoleKind.COMMUNE_ADMIN, unit=commune
            )
            tree.admins[f"commune{p}.{c}"] = user
            tree.admin_units[f"commune{p}.{c}"] = commune
            for v in range(3):
                village = village_create(
                    commune=commune, name=f"Thôn {p}.{c}.{v}", kind="thôn"
                )
                tree.villages.append(village)
                tree.teams[village.code] = team_create(
                    unit=village, name=f"Tổ CNSCĐ thôn {p}.{c}.{v}"
                )
    # A team leader and a plain learner administer nothing.
    leader = _user("to_truong", unit=tree.villages[0])
    team_membership_set(
        team_id=tree.teams[tree.villages[0].code].pk, user=leader, role="leader"
    )
    AdminRole.objects.create(
        user=leader, role=AdminRoleKind.TEAM_LEADER, unit=tree.villages[0]
    )
    tree.admins["team_leader"] = leader
    tree.admin_units["team_leader"] = None
    tree.admins["learner"] = _user("hoc_vien", unit=tree.villages[0])
    tree.admin_units["learner"] = None
    tree.admins["superuser"] = User.objects.create_superuser(
        username="sieu_quan_tri", password="Matkhau@2025"
    )
    tree.admin_units["superuser"] = None
    for unit in tree.units:
        unit.refresh_from_db()
    return tree
