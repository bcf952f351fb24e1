from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from hocvuso.core.form_fields import TextField
from hocvuso.core.text import NAME_MAX, person_name_clean
from hocvuso.orgunits.models import Unit
from hocvuso.orgunits.selectors import unit_ancestry_get, unit_children_list
from hocvuso.province_sites.selectors import NATIONAL, SiteLook

from .decorators import PLACE_PENDING_SESSION_KEY


class SignupExtraForm(forms.Form):
    """Added to allauth's signup form (phone and optional password)."""

    full_name = TextField(
        label=_("Họ và tên"),
        max_length=NAME_MAX,
        widget=forms.TextInput(
            attrs={"autocomplete": "name", "placeholder": "Nguyễn Văn An"}
        ),
        error_messages={"required": _("Vui lòng nhập họ và tên.")},
    )

    field_order = ["full_name", "phone", "password1"]

    def clean_full_name(self) -> str:
        return person_name_clean(self.cleaned_data["full_name"])

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        # Kept by the login that follows (Django keeps an anonymous
        # session's data when it logs someone in).
        request.session[PLACE_PENDING_SESSION_KEY] = True


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_(
            "Tôi đã đọc và đồng ý cho nền tảng xử lý dữ liệu cá nhân của tôi "
            "như nội dung trên."
        ),
        required=True,
        error_messages={"required": _("Bạn cần đánh dấu ô đồng ý để bắt đầu học.")},
    )


def _choices(units, empty_label):
    return [("", empty_label)] + [(u.code, u.name) for u in units]


class PlaceForm(forms.Form):
    """Where the learner lives, chosen down the tree.

    The commune list depends on the province and the village list on the
    commune; the choices are rebuilt from whatever was submitted, so the form
    works with plain HTML posts and htmx just refreshes the lists sooner.
    """

    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)
    commune = forms.ChoiceField(label=_("Xã, phường, đặc khu"), required=False)
    village = forms.ChoiceField(label=_("Thôn, bản, ấp, tổ dân phố"), required=False)

    def __init__(
        self,
        *args,
        site_look: SiteLook = NATIONAL,
        home_province: Unit | None = None,
        **kwargs,
    ):
        """`home_province`: the province the learner lives in now. On another
        province's site it is offered beside the site's own, so that saving
        a name there does not move them; moving to the site's province is
        one choice away."""
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        province = source.get("province") or ""
        commune = source.get("commune") or ""
        if site_look.province_code:
            offered = [(site_look.province_code, site_look.province_name)]
            if home_province and home_province.code != site_look.province_code:
                offered.append((home_province.code, home_province.name))
            if province not in dict(offered):
                province, commune = site_look.province_code, ""
            self.fields["province"].choices = offered
            self.fields["province"].error_messages["invalid_choice"] = _(
                "Trang này dành cho người dân %(province)s: hãy chọn nơi ở "
                "thuộc %(province)s."
            ) % {"province": site_look.province_name}
        else:
            self.fields["province"].choices = _choices(
                unit_children_list(parent_code=None), _("— Chọn tỉnh —")
            )
        communes = unit_children_list(parent_code=province) if province else []
        self.fields["commune"].choices = _choices(communes, _("— Chọn xã, phường —"))
        valid_commune = commune and any(c.code == commune for c in communes)
        villages = unit_children_list(parent_code=commune) if valid_commune else []
        self.fields["village"].choices = _choices(
            villages, _("— Chọn thôn, tổ (nếu có) —")
        )

    def clean(self):
        data = super().clean()
        code = data.get("village") or data.get("commune") or data.get("province")
        data["unit"] = Unit.objects.filter(code=code).first() if code else None
        return data


class SignupPlaceForm(PlaceForm):
    """Asked right after sign-up, so that commune and province reports count
    the citizens who signed up by themselves: the commune is required, the
    village is not (many do not know its official name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].required = True
        self.fields["province"].error_messages["required"] = _(
            "Vui lòng chọn tỉnh, thành phố."
        )
        self.fields["commune"].required = True
        self.fields["commune"].error_messages["required"] = _(
            "Vui lòng chọn xã, phường nơi bạn sinh sống."
        )


def home_province_get(user) -> Unit | None:
    """The province a signed-in learner lives in, if they have said."""
    if not user.is_authenticated:
        return None
    ancestry = unit_ancestry_get(unit=user.unit)
    return ancestry[0] if ancestry else None


def place_initial(unit: Unit | None) -> dict[str, str]:
    """The picker's starting choices: the codes of `unit` and its ancestors."""
    return {u.level: u.code for u in unit_ancestry_get(unit=unit)}


class ProfileForm(PlaceForm):
    """Name, year of birth and where the learner lives."""

    @staticmethod
    def initial_for(user) -> dict:
        return {
            "full_name": user.full_name,
            "birth_year": user.birth_year,
            **place_initial(user.unit),
        }

    full_name = TextField(label=_("Họ và tên"), max_length=NAME_MAX)
    birth_year = forms.IntegerField(
        label=_("Năm sinh"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "1980"}),
    )

    def clean_full_name(self) -> str:
        return person_name_clean(self.cleaned_data["full_name"])

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is None:
            return None
        this_year = date.today().year
        if not 1900 <= year <= this_year - 6:
            raise forms.ValidationError(
                _("Năm sinh phải trong khoảng 1900–%(max)d.") % {"max": this_year - 6}
            )
        return year
