from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.models import ProgrammePage
from hocvuso.accounts.services import TeamPersonError, team_person_add
from hocvuso.province_sites.selectors import courses_in_scope

from .decorators import unit_admin_required
from .forms import AssignmentForm, TargetForm, TeamForm, TeamPersonForm, VillageForm
from .models import Team, TeamKind, Unit, UnitLevel
from .selectors import (
    admin_scope_get,
    assignments_in_scope,
    scope_roots_list,
    team_for_viewer_get,
    team_members_list,
    teams_in_scope,
    unit_ancestry_get,
    unit_assignments_list,
    unit_children_in_scope,
    unit_in_scope_get,
    unit_targets_list,
)
from .services import (
    AssignmentError,
    TeamError,
    assignment_create,
    assignment_delete,
    team_create,
    unit_target_set,
    villages_create,
)


def _unit_or_404(request, code: str) -> Unit:
    unit = unit_in_scope_get(scope=request.scope, code=code)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị trong phạm vi quản lý của bạn."))
    return unit


@unit_admin_required
def admin_home(request):
    return render(
        request,
        "orgunits/admin_home.html",
        {"roots": scope_roots_list(scope=request.scope)},
    )


def _assignment_form(request, unit: Unit, data=None) -> AssignmentForm:
    return AssignmentForm(
        data,
        courses=list(courses_in_scope(scope=request.scope)),
        programmes=list(ProgrammePage.objects.live().order_by("title")),
        unit=unit,
        teams=list(unit.teams.order_by("name")),
    )


def _target_form(data=None) -> TargetForm:
    return TargetForm(
        data, programmes=list(ProgrammePage.objects.live().order_by("title"))
    )


def _unit_page(request, unit: Unit, **forms):
    ancestry = [
        u for u in unit_ancestry_get(unit=unit)[:-1] if request.scope.contains(u)
    ]
    return render(
        request,
        "orgunits/unit_detail.html",
        {
            "unit": unit,
            "ancestry": ancestry,
            "children": unit_children_in_scope(scope=request.scope, unit=unit)
            .order_by("name")
            .only("code", "name"),
            "teams": unit.teams.order_by("name"),
            "assignments": unit_assignments_list(unit=unit),
            "targets": unit_targets_list(unit=unit),
            "can_add_village": unit.level == UnitLevel.COMMUNE,
            "village_form": forms.get("village_form") or VillageForm(),
            "team_form": forms.get("team_form") or TeamForm(),
            "assignment_form": forms.get("assignment_form")
            or _assignment_form(request, unit),
            "target_form": forms.get("target_form") or _target_form(),
        },
        status=400 if forms else 200,
    )


@unit_admin_required
def unit_detail(request, code: str):
    return _unit_page(request, _unit_or_404(request, code))


@require_POST
@unit_admin_required
def village_add(request, code: str):
    unit = _unit_or_404(request, code)
    form = VillageForm(request.POST, request.FILES)
    if unit.level != UnitLevel.COMMUNE:
        form.add_error(None, _("Thôn, tổ dân phố chỉ được tạo trong một xã, phường."))
    if form.is_valid():
        try:
            villages = villages_create(
                commune=unit,
                names=form.cleaned_data["names"],
                kind=form.cleaned_data["kind"],
            )
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã thêm: %(names)s.")
                % {"names": ", ".join(v.name for v in villages)},
            )
            return redirect("unit_admin_detail", code=unit.code)
    return _unit_page(request, unit, village_form=form)


@require_POST
@unit_admin_required
def team_add(request, code: str):
    unit = _unit_or_404(request, code)
    form = TeamForm(request.POST)
    kind = (
        TeamKind.YOUTH_UNION if unit.level == UnitLevel.PROVINCE else TeamKind.COMMUNITY
    )
    if form.is_valid():
        try:
            team = team_create(unit=unit, name=form.cleaned_data["name"], kind=kind)
        except TeamError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("Đã thêm tổ “%(name)s”.") % {"name": team.name})
            return redirect("unit_admin_detail", code=unit.code)
    return _unit_page(request, unit, team_form=form)


@require_POST
@unit_admin_required
def assignment_add(request, code: str):
    unit = _unit_or_404(request, code)
    form = _assignment_form(request, unit, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = assignment_create(
                created_by=request.user,
                course=data["course"],
                programme=data["programme"],
                unit=None if data["team_obj"] else unit,
                team=data["team_obj"],
                starts_on=data["starts_on"],
                due_on=data["due_on"],
                remind_days_before=data["remind_days_before"],
            )
        except AssignmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã giao “%(what)s”, hạn %(due)s.")
                % {
                    "what": (assignment.course or assignment.programme).title,
                    "due": assignment.due_on.strftime("%d/%m/%Y"),
                },
            )
            return redirect("unit_admin_detail", code=unit.code)
    return _unit_page(request, unit, assignment_form=form)


@unit_admin_required
def assignment_remove(request, pk: int):
    """GET asks to confirm, POST removes: one click on "Bỏ giao" deleted an
    assignment with its due dates (issue 24, item 9)."""
    assignment = (
        assignments_in_scope(scope=request.scope)
        .select_related("unit", "team__unit", "course", "programme")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404(_("Không tìm thấy việc giao khóa học này."))
    unit = assignment.unit or assignment.team.unit
    if request.method != "POST":
        return render(
            request,
            "orgunits/assignment_remove.html",
            {"assignment": assignment, "unit": unit},
        )
    assignment_delete(assignment=assignment)
    messages.success(request, _("Đã bỏ việc giao khóa học."))
    return redirect("unit_admin_detail", code=unit.code)


@require_POST
@unit_admin_required
def target_set(request, code: str):
    unit = _unit_or_404(request, code)
    form = _target_form(request.POST)
    if not form.is_valid():
        return _unit_page(request, unit, target_form=form)
    target = unit_target_set(
        unit=unit,
        programme=form.cleaned_data["programme_obj"],
        learners=form.cleaned_data["learners"],
    )
    messages.success(
        request,
        _("Chỉ tiêu “%(programme)s”: %(n)s học viên.")
        % {"programme": target.programme.title, "n": target.learners},
    )
    return redirect("unit_admin_detail", code=unit.code)


@login_required
def team_detail(request, team_id: int):
    team = team_for_viewer_get(user=request.user, team_id=team_id)
    if team is None:
        raise Http404(_("Không tìm thấy tổ trong phạm vi của bạn."))
    return _team_page(request, team, TeamPersonForm())


def _team_page(request, team: Team, person_form: TeamPersonForm):
    # Adding people is the import's work: a unit admin's, for a commune's or
    # a village's team (the import has no province column).
    may_add = team.unit.level != UnitLevel.PROVINCE and admin_scope_get(
        user=request.user
    ).contains(team.unit)
    return render(
        request,
        "orgunits/team_detail.html",
        {
            "team": team,
            "members": team_members_list(team=team),
            "person_form": person_form if may_add else None,
        },
    )


@require_POST
@unit_admin_required
def team_person_add_view(request, team_id: int):
    team = teams_in_scope(scope=request.scope).filter(pk=team_id).first()
    if team is None or team.unit.level == UnitLevel.PROVINCE:
        raise Http404(_("Không tìm thấy tổ trong phạm vi của bạn."))
    form = TeamPersonForm(request.POST)
    form.is_valid()  # no rule of its own: the import's rules follow
    try:
        user, created = team_person_add(
            actor=request.user, team=team, **form.cleaned_data
        )
    except TeamPersonError as error:
        for field, message in error.errors:
            form.add_error(field or None, message)
        return _team_page(request, team, form)
    if created:
        text = _(
            "Đã tạo tài khoản cho %(name)s và thêm vào tổ; đã gửi tin nhắn mời đăng nhập."
        )
    else:
        text = _("Đã thêm %(name)s (tài khoản đã có) vào tổ.")
    messages.success(request, text % {"name": user.full_name})
    return redirect("team_detail", team_id=team.pk)
