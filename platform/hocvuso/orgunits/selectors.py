from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from .models import AdminRole, AdminRoleKind, Team, Unit, UnitLevel

# Roles that make someone an administrator of a part of the tree.
SCOPE_ROLES = (AdminRoleKind.PROVINCE_ADMIN, AdminRoleKind.COMMUNE_ADMIN)


def unit_subtree(*, unit: Unit) -> QuerySet[Unit]:
    """The unit and every unit below it (one indexed prefix match)."""
    return Unit.objects.filter(path__startswith=unit.path)


def unit_children_list(*, parent_code: str | None) -> QuerySet[Unit]:
    """Provinces when no parent is given, otherwise the parent's children."""
    if not parent_code:
        return Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("name")
    parent = Unit.objects.filter(code=parent_code).only("path", "depth").first()
    if parent is None:
        return Unit.objects.none()
    return Unit.objects.filter(
        path__startswith=parent.path, depth=parent.depth + 1
    ).order_by("name")


def unit_ancestry_get(*, unit: Unit | None) -> list[Unit]:
    """[province, commune, village] down to `unit`, in one query."""
    if unit is None:
        return []
    steplen = Unit.steplen
    paths = [unit.path[:i] for i in range(steplen, len(unit.path) + 1, steplen)]
    return list(Unit.objects.filter(path__in=paths).order_by("depth"))


def admin_roles_list(*, user) -> QuerySet[AdminRole]:
    return AdminRole.objects.filter(user=user).select_related("unit")


@dataclass(frozen=True)
class AdminScope:
    """The units an administrator may act on: the subtree of each of their
    roles' units (every unit for a superuser). Every admin page, export and
    endpoint filters through this, never through its own query."""

    paths: tuple[str, ...] = ()
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.paths)

    def q(self, field: str = "") -> Q:
        """A filter on `<field>__path` (the unit itself when field is empty)."""
        lookup = f"{field}__path__startswith" if field else "path__startswith"
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{lookup: path}) for path in self.paths))

    def contains(self, unit: Unit | None) -> bool:
        if unit is None:
            return False
        return self.everything or any(unit.path.startswith(p) for p in self.paths)


def admin_scope_get(*, user) -> AdminScope:
    """One query; remembered on the user object for the rest of the request."""
    if not user.is_authenticated:
        return AdminScope()
    cached = getattr(user, "_admin_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = AdminScope(everything=True)
    else:
        paths = sorted(
            AdminRole.objects.filter(user=user, role__in=SCOPE_ROLES).values_list(
                "unit__path", flat=True
            )
        )
        # Drop paths already covered by a shorter one (a province and its commune).
        kept: list[str] = []
        for path in paths:
            if not any(path.startswith(k) for k in kept):
                kept.append(path)
        scope = AdminScope(paths=tuple(kept))
    user._admin_scope = scope
    return scope


def units_in_scope(*, scope: AdminScope) -> QuerySet[Unit]:
    return Unit.objects.filter(scope.q())


def unit_in_scope_get(*, scope: AdminScope, code: str) -> Unit | None:
    return units_in_scope(scope=scope).filter(code=code).first()


def scope_roots_list(*, scope: AdminScope) -> list[Unit]:
    """The top units of the scope: every province for a superuser."""
    if scope.everything:
        return list(Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("name"))
    return list(Unit.objects.filter(path__in=scope.paths).order_by("path"))


def teams_in_scope(*, scope: AdminScope) -> QuerySet[Team]:
    return Team.objects.filter(scope.q("unit")).select_related("unit")


def unit_children_in_scope(*, scope: AdminScope, unit: Unit) -> QuerySet[Unit]:
    return units_in_scope(scope=scope).filter(
        path__startswith=unit.path, depth=unit.depth + 1
    )
