from django import forms
from django.utils.translation import gettext_lazy as _

VILLAGE_KINDS = [
    ("thôn", _("Thôn")),
    ("bản", _("Bản")),
    ("ấp", _("Ấp")),
    ("tổ dân phố", _("Tổ dân phố")),
]


class VillageForm(forms.Form):
    name = forms.CharField(
        label=_("Tên thôn, tổ dân phố"),
        max_length=200,
        error_messages={"required": _("Vui lòng nhập tên thôn, tổ dân phố.")},
    )
    kind = forms.ChoiceField(label=_("Loại"), choices=VILLAGE_KINDS)


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Tên tổ"),
        max_length=200,
        error_messages={"required": _("Vui lòng nhập tên tổ.")},
    )
