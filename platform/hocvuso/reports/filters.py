"""The report filters from the query string, validated into plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from hocvuso.accounts.models import LearnerType

from .periods import Period, PeriodError, dates_period, quarter_parse
from .report_sql import Subject
from .selectors import subject_choices, subject_get

AUDIENCES = [("", _("Tất cả"))] + list(LearnerType.choices)


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subject_choices()

    def clean(self):
        data = super().clean()
        try:
            if data.get("quarter"):
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
        return [
            (str(kind), self.subject.title),
            (str(_("Thời gian")), period),
            (str(_("Đối tượng")), str(audience)),
        ]

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
        }


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def filters_from_request(request) -> tuple[ReportFilterForm, Filters | None]:
    data = request.GET.copy()
    form = ReportFilterForm(data or None)
    # The default view's links carry only their own keys (format, page,
    # status…): with none of the filters given, the default applies.
    if not any(key in data for key in ReportFilterForm.base_fields):
        choices = form.fields["subject"].choices
        if not choices:
            return form, None
        form = ReportFilterForm({"subject": choices[0][0], "audience": ""})
    return form, _filters(form)


def filters_from_data(data: dict) -> Filters | None:
    """`Filters.as_data()` back into filters, validated as a request's are."""
    return _filters(ReportFilterForm(data))


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
    )
