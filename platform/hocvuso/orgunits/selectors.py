from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from courses.models import LessonProgress, ProgrammeCourse
from courses.selectors import SubqueryCount
from quizzes.models import Attempt

from .models import (
    AdminRole,
    AdminRoleKind,
    Assignment,
    Team,
    TeamMembership,
    TeamRole,
    Unit,
    UnitLevel,
    UnitTarget,
)

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


def assignments_in_scope(*, scope: AdminScope) -> QuerySet[Assignment]:
    if scope.everything:
        return Assignment.objects.all()
    return Assignment.objects.filter(scope.q("unit") | scope.q("team__unit"))


def unit_assignments_list(*, unit: Unit) -> list[Assignment]:
    """Assignments made to this unit or to one of its teams."""
    return list(
        Assignment.objects.filter(Q(unit=unit) | Q(team__unit=unit))
        .select_related("course", "programme", "team")
        .order_by("due_on", "pk")
    )


def unit_targets_list(*, unit: Unit) -> list[UnitTarget]:
    return list(unit.targets.select_related("programme").order_by("programme__title"))


def _assigned_to(user) -> Q:
    """Assignments that reach the user: their team's, or their unit's or an
    ancestor unit's (the unit's path starts with the assignment unit's path)."""
    in_team = Exists(
        TeamMembership.objects.filter(user_id=user.pk, team_id=OuterRef("team_id"))
    )
    under_unit = Exists(
        Unit.objects.filter(pk=user.unit_id, path__startswith=OuterRef("unit__path"))
    )
    return Q(in_team) | Q(under_unit)


def assignment_due_dates(*, user) -> dict[int, date]:
    """Course id → the earliest due date of the started assignments that
    reach the learner, a programme counting for each of its courses. One query.
    Plugged into the course cards through settings.COURSES_DUE_DATES."""
    if not user.is_authenticated:
        return {}
    mine = Assignment.objects.filter(
        _assigned_to(user), starts_on__lte=timezone.localdate()
    )
    direct = (
        mine.filter(course__isnull=False).order_by().values_list("course_id", "due_on")
    )
    # One filter() call, so the due date read is the matching assignment's.
    via_programme = (
        ProgrammeCourse.objects.filter(
            programme__assignments__in=mine.filter(programme__isnull=False)
        )
        .order_by()
        .values_list("course_id", "programme__assignments__due_on")
    )
    due: dict[int, date] = {}
    for course_id, due_on in direct.union(via_programme, all=True):
        if course_id not in due or due_on < due[course_id]:
            due[course_id] = due_on
    return due


@dataclass(frozen=True)
class TeamMemberRow:
    membership: TeamMembership
    lessons_done: int
    tests_passed: int


def team_for_viewer_get(*, user, team_id: int) -> Team | None:
    """The team if the user may see it: an admin whose subtree holds it, or
    its own leader (a team leader's scope is their team)."""
    team = Team.objects.select_related("unit").filter(pk=team_id).first()
    if team is None or not user.is_authenticated:
        return None
    if admin_scope_get(user=user).contains(team.unit):
        return team
    leads = TeamMembership.objects.filter(team=team, user=user, role=TeamRole.LEADER)
    return team if leads.exists() else None


def teams_led_list(*, user) -> list[Team]:
    if not user.is_authenticated:
        return []
    return list(
        Team.objects.filter(memberships__user=user, memberships__role=TeamRole.LEADER)
        .select_related("unit")
        .order_by("name")
    )


def team_members_list(*, team: Team) -> list[TeamMemberRow]:
    """Members with how far they got, in one query."""
    done = LessonProgress.objects.filter(
        user=OuterRef("user"), completed_at__isnull=False
    ).values("pk")
    passed = Attempt.objects.filter(user=OuterRef("user"), passed=True).values("pk")
    memberships = (
        TeamMembership.objects.filter(team=team)
        .select_related("user")
        .annotate(lessons_done=SubqueryCount(done), tests_passed=SubqueryCount(passed))
        .order_by("role", "user__full_name")  # "leader" sorts before "member"
    )
    return [
        TeamMemberRow(
            membership=m, lessons_done=m.lessons_done, tests_passed=m.tests_passed
        )
        for m in memberships
    ]
