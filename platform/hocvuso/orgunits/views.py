from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .decorators import unit_admin_required
from .forms import TeamForm, VillageForm
from .models import TeamKind, Unit, UnitLevel
from .selectors import (
    scope_roots_list,
    unit_ancestry_get,
    unit_children_in_scope,
    unit_in_scope_get,
)
from .services import TeamError, team_create, village_create


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


def _unit_page(request, unit: Unit, *, village_form=None, team_form=None):
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
            "can_add_village": unit.level == UnitLevel.COMMUNE,
            "village_form": village_form or VillageForm(),
            "team_form": team_form or TeamForm(),
        },
        status=400 if (village_form or team_form) else 200,
    )


@unit_admin_required
def unit_detail(request, code: str):
    return _unit_page(request, _unit_or_404(request, code))


@require_POST
@unit_admin_required
def village_add(request, code: str):
    unit = _unit_or_404(request, code)
    form = VillageForm(request.POST)
    if unit.level != UnitLevel.COMMUNE:
        form.add_error(None, _("Thôn, tổ dân phố chỉ được tạo trong một xã, phường."))
    if not form.is_valid():
        return _unit_page(request, unit, village_form=form)
    village = village_create(
        commune=unit, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
    )
    messages.success(request, _("Đã thêm “%(name)s”.") % {"name": village.name})
    return redirect("unit_admin_detail", code=unit.code)


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
