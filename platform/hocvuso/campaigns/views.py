from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.models import ProgrammePage
from hocvuso.orgunits.decorators import unit_admin_required
from hocvuso.orgunits.models import Unit, UnitLevel
from hocvuso.orgunits.selectors import unit_children_in_scope, unit_in_scope_get
from hocvuso.province_sites.selectors import request_look

from .board import MIN_TARGET
from .forms import CampaignForm
from .models import Campaign
from .selectors import (
    BOARD_SECONDS,
    LIVE_REFRESH_SECONDS,
    board_area_get,
    board_get,
    campaign_for_board_get,
    campaign_in_scope_get,
    campaigns_in_scope,
    campaigns_running_in_area,
)
from .services import CampaignError, campaign_create, campaign_update

# A campaign id as a query parameter: a few ASCII digits, nothing else.
ID_DIGITS_MAX = 18


def campaign_id_parse(value: str | None) -> int | None:
    """The id in `?campaign=`, or None when it is not a plain number."""
    if not value or len(value) > ID_DIGITS_MAX:
        return None
    if not (value.isascii() and value.isdigit()):
        return None
    return int(value)


# --- The public board -------------------------------------------------------------


@require_GET
def board_view(request, code: str | None = None):
    area = board_area_get(code=code, site_province=request_look(request).province_code)
    if area is False:
        raise Http404(_("Không có tỉnh, thành phố này trên bảng thi đua."))
    campaign = None
    if "campaign" in request.GET:
        pk = campaign_id_parse(request.GET.get("campaign"))
        campaign = campaign_for_board_get(area=area, pk=pk) if pk is not None else None
        if campaign is None:
            raise Http404(_("Không tìm thấy chiến dịch trên bảng thi đua này."))
    today = timezone.localdate()
    running = campaigns_running_in_area(area=area, today=today)
    board = board_get(area=area, campaign=campaign)
    response = render(
        request,
        "campaigns/board.html",
        {
            "board": board,
            "area": area,
            "running": running,
            "campaign": campaign,
            "min_target": MIN_TARGET,
            "refresh_seconds": LIVE_REFRESH_SECONDS if running else 0,
            "level_label": _("Xã, phường") if area else _("Tỉnh, thành phố"),
            # Rendered as the shared pages are: the header, messages and form
            # token come from /api/me/state, so the page carries nothing
            # personal and sets no cookie.
            "public_page": True,
        },
    )
    # The same for every reader for a minute (the figures are cached that
    # long anyway). Not put in nginx's page cache (`public_response`): its
    # key is the path without the query, and `?campaign=` changes the page.
    patch_cache_control(response, public=True, max_age=BOARD_SECONDS)
    return response


# --- Admin pages -----------------------------------------------------------------


def _form(request, owner: Unit, data=None, initial=None) -> CampaignForm:
    children = unit_children_in_scope(scope=request.scope, unit=owner).order_by("name")
    return CampaignForm(
        data,
        initial=initial,
        units=[owner, *children],
        programmes=list(ProgrammePage.objects.live().order_by("title")),
    )


def _fields(data) -> dict:
    return {
        "name": data["name"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "units": data["unit_list"],
        "programme": data["programme_page"],
        "goal_completions": data.get("goal_completions"),
        "goals": data.get("goals") or "",
    }


@unit_admin_required
def campaign_list(request):
    campaigns = campaigns_in_scope(scope=request.scope)[:200]
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@unit_admin_required
def campaign_add(request, code: str):
    unit = unit_in_scope_get(scope=request.scope, code=code)
    if unit is None or unit.level == UnitLevel.VILLAGE:
        raise Http404(_("Chiến dịch do tỉnh hoặc xã, phường tổ chức."))
    form = _form(request, unit, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(
                created_by=request.user, owner_unit=unit, **_fields(form.cleaned_data)
            )
        except CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Đã tạo chiến dịch “%(name)s”.") % {"name": campaign.name}
            )
            return redirect("campaign_edit", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"unit": unit, "form": form, "campaign": None},
        status=400 if form.is_bound else 200,
    )


@unit_admin_required
def campaign_edit(request, pk: int):
    campaign: Campaign | None = campaign_in_scope_get(scope=request.scope, pk=pk)
    if campaign is None:
        raise Http404(_("Không tìm thấy chiến dịch trong phạm vi quản lý của bạn."))
    unit = campaign.owner_unit
    if request.method == "POST":
        form = _form(request, unit, request.POST)
        if form.is_valid():
            try:
                campaign_update(campaign=campaign, **_fields(form.cleaned_data))
            except CampaignError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã lưu chiến dịch."))
                return redirect("campaign_edit", pk=campaign.pk)
    else:
        form = _form(
            request,
            unit,
            initial={
                "name": campaign.name,
                "starts_on": campaign.starts_on,
                "ends_on": campaign.ends_on,
                "programme": str(campaign.programme_id or ""),
                "goal_completions": campaign.goal_completions,
                "goals": campaign.goals,
                "units": list(campaign.units.values_list("code", flat=True)),
            },
        )
    return render(
        request,
        "campaigns/campaign_form.html",
        {"unit": unit, "form": form, "campaign": campaign},
        status=400 if form.is_bound and form.errors else 200,
    )
