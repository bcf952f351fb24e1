from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hocvuso.core.form_fields import TextField
from hocvuso.core.text import place_name_clean
from hocvuso.training.forms import CountField

from .models import GOALS_MAX, NAME_MAX

MAX_GOAL = 100_000_000
# Campaigns are planned within a few years of today; year 1 or 9999 is a typo
# (and would overflow date arithmetic).
YEARS = range(2000, 3000)
_DATE_ERRORS = {
    "invalid": _("Ngày không hợp lệ."),
    "required": _("Hãy chọn ngày."),
}


class SafeDateField(forms.DateField):
    def clean(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(self.error_messages["invalid"])
        result = super().clean(value)
        if result is not None and result.year not in YEARS:
            raise ValidationError(self.error_messages["invalid"])
        return result


class CampaignForm(forms.Form):
    """The unit and programme choices are built by the view from what the
    admin may use."""

    name = TextField(
        label=_("Tên chiến dịch"),
        max_length=NAME_MAX,
        error_messages={"required": _("Vui lòng nhập tên chiến dịch.")},
    )
    starts_on = SafeDateField(
        label=_("Ngày bắt đầu"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_DATE_ERRORS,
    )
    ends_on = SafeDateField(
        label=_("Ngày kết thúc"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=_DATE_ERRORS,
    )
    programme = forms.ChoiceField(
        label=_("Chương trình xếp hạng trên bảng thi đua"),
        required=False,
        error_messages={"invalid_choice": _("Chương trình không hợp lệ.")},
    )
    goal_completions = CountField(
        label=_("Mục tiêu số người hoàn thành (nếu có)"),
        required=False,
        min_value=1,
        max_value=MAX_GOAL,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Mục tiêu phải là một số nguyên."),
            "min_value": _("Mục tiêu phải từ 1 trở lên."),
            "max_value": _("Mục tiêu tối đa là %(limit_value)s."),
        },
    )
    goals = TextField(
        multiline=True,
        label=_("Mục tiêu, hoạt động của chiến dịch"),
        max_length=GOALS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    units = forms.MultipleChoiceField(
        label=_("Đơn vị tham gia (cùng các đơn vị trực thuộc)"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Hãy chọn ít nhất một đơn vị tham gia."),
            "invalid_choice": _("Đơn vị tham gia không hợp lệ."),
        },
    )

    def __init__(self, *args, units, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.code, u.name) for u in units]
        self.fields["programme"].choices = [("", _("— Mặc định —"))] + [
            (str(p.pk), p.title) for p in programmes
        ]
        self._units = {u.code: u for u in units}
        self._programmes = {str(p.pk): p for p in programmes}

    def clean_name(self) -> str:
        return place_name_clean(self.cleaned_data["name"], field=_("Tên chiến dịch"))

    def clean(self):
        data = super().clean()
        data["unit_list"] = [self._units[c] for c in data.get("units") or []]
        data["programme_page"] = self._programmes.get(data.get("programme") or "")
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        return data
