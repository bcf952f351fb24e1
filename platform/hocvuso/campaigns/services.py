"""Writes for campaigns: keyword-only, typed, one transaction each."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import ProgrammePage
from hocvuso.orgunits.models import Unit

from .models import Campaign


class CampaignError(ValueError):
    """A campaign that breaks a rule; the message is shown as is."""


def _check(*, owner_unit: Unit, starts_on: date, ends_on: date, units: list[Unit]):
    if ends_on < starts_on:
        raise CampaignError(_("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
    if not units:
        raise CampaignError(_("Hãy chọn ít nhất một đơn vị tham gia."))
    if not all(u.path.startswith(owner_unit.path) for u in units):
        raise CampaignError(_("Chỉ chọn được các đơn vị thuộc đơn vị tổ chức."))


@transaction.atomic
def campaign_create(
    *,
    created_by,
    owner_unit: Unit,
    name: str,
    starts_on: date,
    ends_on: date,
    units: list[Unit],
    programme: ProgrammePage | None = None,
    goal_completions: int | None = None,
    goals: str = "",
) -> Campaign:
    _check(owner_unit=owner_unit, starts_on=starts_on, ends_on=ends_on, units=units)
    campaign = Campaign.objects.create(
        created_by=created_by,
        owner_unit=owner_unit,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        programme=programme,
        goal_completions=goal_completions,
        goals=goals,
    )
    campaign.units.set(units)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    name: str,
    starts_on: date,
    ends_on: date,
    units: list[Unit],
    programme: ProgrammePage | None = None,
    goal_completions: int | None = None,
    goals: str = "",
) -> Campaign:
    _check(
        owner_unit=campaign.owner_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        units=units,
    )
    campaign.name = name
    campaign.starts_on = starts_on
    campaign.ends_on = ends_on
    campaign.programme = programme
    campaign.goal_completions = goal_completions
    campaign.goals = goals
    campaign.save()
    campaign.units.set(units)
    return campaign
