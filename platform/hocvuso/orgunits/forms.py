import csv
import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hocvuso.accounts.import_rows import COLUMNS as ACCOUNT_COLUMNS
from hocvuso.accounts.import_rows import fold
from hocvuso.core.form_fields import TextField
from hocvuso.core.text import PLACE_MAX, place_name_clean

VILLAGE_KINDS = [
    ("thôn", _("Thôn")),
    ("bản", _("Bản")),
    ("ấp", _("Ấp")),
    ("tổ dân phố", _("Tổ dân phố")),
]


# The header words of a village list, and those of the account import's
# template (a file often picked by mistake: its names are not villages).
_VILLAGE_HEADERS = {"ten", "ten thon", "ten thon, to dan pho", "thon/to dan pho"}
_ACCOUNT_HEADERS = {fold(label) for key, label in ACCOUNT_COLUMNS if key != "village"}
_ERRORS_SHOWN = 5


class VillageForm(forms.Form):
    name = TextField(
        multiline=True,
        label=_("Tên thôn, tổ dân phố (mỗi dòng một tên)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    file = forms.FileField(
        label=_("Hoặc tệp CSV: mỗi dòng một tên ở cột đầu tiên"),
        required=False,
    )
    kind = forms.ChoiceField(label=_("Loại"), choices=VILLAGE_KINDS)

    def clean_file(self) -> list[str]:
        upload = self.cleaned_data.get("file")
        if not upload:
            return []
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv."))
        if upload.size > 256 * 1024:
            raise forms.ValidationError(_("Tệp danh sách thôn lớn hơn 256 KB."))
        try:
            rows = [
                row
                for row in csv.reader(
                    io.StringIO(upload.read().decode("utf-8-sig"), newline="")
                )
                if row
            ]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise forms.ValidationError(
                _("Tệp phải là CSV lưu theo mã UTF-8.")
            ) from exc
        header = {fold(cell) for cell in rows[0]} if rows else set()
        if header & _ACCOUNT_HEADERS:
            raise forms.ValidationError(
                _(
                    "Tệp này là danh sách tài khoản (có cột “họ và tên”), không "
                    "phải danh sách thôn: hãy nhập nó ở trang Nhập danh sách."
                )
            )
        names = [row[0] for row in rows]
        if names and fold(names[0]) in _VILLAGE_HEADERS:
            names = names[1:]
        return names

    def clean(self):
        data = super().clean()
        if self.errors:
            # A field already failed (say, an unreadable file): its error is
            # the one to fix, not "enter a name".
            return data
        raw = (data.get("name") or "").splitlines() + (data.get("file") or [])
        names, errors = [], []
        for line in raw:
            try:
                name = place_name_clean(line, field=_("Tên thôn"), max_length=PLACE_MAX)
            except ValidationError as error:
                errors.append(error)
            else:
                if name:
                    names.append(name)
        if errors:
            shown = errors[:_ERRORS_SHOWN]
            if len(errors) > _ERRORS_SHOWN:
                shown.append(
                    ValidationError(
                        _("và %(n)d tên khác không hợp lệ."),
                        params={"n": len(errors) - _ERRORS_SHOWN},
                    )
                )
            raise forms.ValidationError(shown)
        if not names:
            raise forms.ValidationError(
                _("Vui lòng nhập tên thôn, tổ dân phố hoặc chọn tệp.")
            )
        data["names"] = names
        return data


class TeamForm(forms.Form):
    name = TextField(
        label=_("Tên tổ"),
        max_length=PLACE_MAX,
        error_messages={"required": _("Vui lòng nhập tên tổ.")},
    )

    def clean_name(self) -> str:
        return place_name_clean(self.cleaned_data["name"], field=_("Tên tổ"))


class AssignmentForm(forms.Form):
    """What to assign (a course or a programme) to this unit or one of its
    teams; the choices are built by the view from what the admin may use."""

    what = forms.ChoiceField(label=_("Khóa học hoặc chương trình"))
    team = forms.ChoiceField(label=_("Giao cho"), required=False)
    starts_on = forms.DateField(
        label=_("Ngày bắt đầu"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": _("Ngày không hợp lệ."),
            "required": _("Hãy chọn ngày bắt đầu."),
        },
    )
    due_on = forms.DateField(
        label=_("Hạn hoàn thành"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": _("Ngày không hợp lệ."),
            "required": _("Hãy chọn hạn hoàn thành."),
        },
    )
    remind_days_before = forms.IntegerField(
        label=_("Nhắc qua SMS trước hạn (số ngày)"),
        initial=3,
        min_value=0,
        max_value=60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, courses, programmes, unit, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = (
            [("", _("— Chọn —"))]
            + [
                (f"p{p.pk}", _("Chương trình: %(t)s") % {"t": p.title})
                for p in programmes
            ]
            + [(f"c{c.pk}", c.title) for c in courses]
        )
        self.fields["team"].choices = [
            ("", _("Toàn bộ %(unit)s (kể cả đơn vị trực thuộc)") % {"unit": unit.name})
        ] + [(str(t.pk), t.name) for t in teams]
        self._courses = {c.pk: c for c in courses}
        self._programmes = {p.pk: p for p in programmes}
        self._teams = {t.pk: t for t in teams}

    def clean(self):
        data = super().clean()
        what = data.get("what") or ""
        data["course"] = self._courses.get(int(what[1:])) if what[:1] == "c" else None
        data["programme"] = (
            self._programmes.get(int(what[1:])) if what[:1] == "p" else None
        )
        data["team_obj"] = (
            self._teams.get(int(data["team"])) if data.get("team") else None
        )
        return data


class TargetForm(forms.Form):
    programme = forms.ChoiceField(label=_("Chương trình"))
    learners = forms.IntegerField(
        label=_("Số học viên chỉ tiêu"),
        min_value=0,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Hãy nhập số học viên chỉ tiêu.")},
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("— Chọn —"))] + [
            (str(p.pk), p.title) for p in programmes
        ]
        self._programmes = {p.pk: p for p in programmes}

    def clean(self):
        data = super().clean()
        if data.get("programme"):
            data["programme_obj"] = self._programmes[int(data["programme"])]
        return data


class TeamPersonForm(forms.Form):
    """One person for a team. The fields pass what was typed, unchecked, to
    the member import's rules (accounts.services.team_person_add), which give
    every message: one rule for a name, a phone number and a birth year."""

    full_name = forms.CharField(label=_("Họ và tên"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), required=False)
    birth_year = forms.CharField(label=_("Năm sinh (không bắt buộc)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators = []  # Django's NUL check answers in English
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
        self.fields["birth_year"].widget.attrs.update(inputmode="numeric")
