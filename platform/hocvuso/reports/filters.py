"""The report filters from the query string, validated into plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from hocvuso.accounts.models import LearnerType
from hocvuso.province_sites.selectors import courses_in_scope

from .periods import Period, PeriodError, dates_period, quarter_parse
from .report_sql import Subject
from .selectors import subject_choices, subject_get

AUDIENCES = [("", _("Tất cả"))] + list(LearnerType.choices)


@dataclass(frozen=True)
class CampaignChoice:
    """A campaign the report can be restricted to (hocvuso/campaigns): its
    dates become the period, its units (each with its subtree) the rows."""

    pk: int
    name: str
    starts_on: date
    ends_on: date
    unit_paths: tuple[str, ...]


class ReportFilterForm(forms.Form):
    subject = forms.ChoiceField(label=_("Chương trình / khóa học"))
    quarter = forms.CharField(
        label=_("Quý"),
        required=False,
        help_text=_("Ví dụ 2026-Q1; để trống nếu chọn theo ngày."),
    )
    start = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    audience = forms.ChoiceField(
        label=_("Đối tượng"), choices=AUDIENCES, required=False
    )
    campaign = forms.ChoiceField(
        label=_("Chiến dịch"),
        required=False,
        help_text=_("Chọn chiến dịch: thời gian và đơn vị theo chiến dịch."),
        error_messages={
            "invalid_choice": _("Không tìm thấy chiến dịch trong phạm vi của bạn.")
        },
    )

    def __init__(
        self, *args, campaigns: list[CampaignChoice] = (), courses=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subject_choices(courses=courses)
        self._campaigns = {str(c.pk): c for c in campaigns}
        self.fields["campaign"].choices = [("", _("— Không —"))] + [
            (str(c.pk), c.name) for c in campaigns
        ]
        if not campaigns:
            self.fields["campaign"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        data["campaign_choice"] = self._campaigns.get(data.get("campaign") or "")
        try:
            if data["campaign_choice"] is not None:
                # The campaign's own dates, whatever else was typed.
                choice = data["campaign_choice"]
                data["period"] = dates_period(choice.starts_on, choice.ends_on)
            elif data.get("quarter"):
                data["period"] = quarter_parse(data["quarter"])
            else:
                data["period"] = dates_period(data.get("start"), data.get("end"))
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


@dataclass(frozen=True)
class Filters:
    subject: Subject
    period: Period
    audience: str
    campaign: CampaignChoice | None = None

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) lines written on pages and sheets."""
        p = self.period
        if p.quarter:
            period = p.quarter
        elif p:
            period = f"{_fmt(p.start) or '…'} – {_fmt(p.last_day) or '…'}"
        else:
            period = str(_("Toàn bộ thời gian"))
        audience = dict(AUDIENCES).get(self.audience, "")
        kind = _("Chương trình") if self.subject.kind == "programme" else _("Khóa học")
        lines = [
            (str(kind), self.subject.title),
            (str(_("Thời gian")), period),
            (str(_("Đối tượng")), str(audience)),
        ]
        if self.campaign is not None:
            lines.append((str(_("Chiến dịch")), self.campaign.name))
        return lines

    def as_data(self) -> dict[str, str]:
        """The filters as the form's own fields, to keep with a background
        export and validate again when it runs (`filters_from_data`)."""
        p = self.period
        return {
            "subject": self.subject.key,
            "quarter": p.quarter,
            "start": "" if p.quarter or not p.start else p.start.isoformat(),
            "end": "" if p.quarter or not p.end else p.last_day.isoformat(),
            "audience": self.audience,
            "campaign": str(self.campaign.pk) if self.campaign else "",
        }


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def filters_from_request(
    request, *, campaigns: list[CampaignChoice] = ()
) -> tuple[ReportFilterForm, Filters | None]:
    data = request.GET.copy()
    # Another province's own courses are not offered (courses.course_sites).
    courses = courses_in_scope(scope=request.scope)
    form = ReportFilterForm(data or None, campaigns=campaigns, courses=courses)
    # The default view's links carry only their own keys (format, page,
    # status…): with none of the filters given, the default applies (a link
    # from a campaign's page gives the campaign only).
    if not any(
        key in data for key in ReportFilterForm.base_fields if key != "campaign"
    ):
        choices = form.fields["subject"].choices
        if not choices:
            return form, None
        default = {"subject": choices[0][0], "audience": ""}
        if "campaign" in data:
            default["campaign"] = data["campaign"]
        form = ReportFilterForm(default, campaigns=campaigns, courses=courses)
    return form, _filters(form)


def filters_from_data(
    data: dict, *, campaigns: list[CampaignChoice] = ()
) -> Filters | None:
    """`Filters.as_data()` back into filters, validated as a request's are."""
    return _filters(ReportFilterForm(data, campaigns=campaigns))


def _filters(form: ReportFilterForm) -> Filters | None:
    if not form.is_valid():
        return None
    kind, _sep, pk = form.cleaned_data["subject"].partition(":")
    subject = subject_get(kind=kind, pk=int(pk))
    if subject is None:
        return None
    return Filters(
        subject=subject,
        period=form.cleaned_data["period"],
        audience=form.cleaned_data.get("audience") or "",
        campaign=form.cleaned_data.get("campaign_choice"),
    )
