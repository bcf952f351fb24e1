from django.db.models import QuerySet

from .models import AdminRole, Unit, UnitLevel


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
