import csv
import io

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
            rows = csv.reader(io.StringIO(upload.read().decode("utf-8-sig")))
            names = [row[0] for row in rows if row]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise forms.ValidationError(
                _("Tệp phải là CSV lưu theo mã UTF-8.")
            ) from exc
        if names and names[0].strip().lower() in {"tên", "tên thôn", "ten"}:
            names = names[1:]  # a header row
        return names

    def clean(self):
        data = super().clean()
        raw = (data.get("name") or "").splitlines() + (data.get("file") or [])
        names = [n for n in (" ".join(n.split()) for n in raw) if n]
        if not names:
            raise forms.ValidationError(
                _("Vui lòng nhập tên thôn, tổ dân phố hoặc chọn tệp.")
            )
        if any(len(n) > 200 for n in names):
            raise forms.ValidationError(_("Mỗi tên dài tối đa 200 ký tự."))
        data["names"] = names
        return data


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Tên tổ"),
        max_length=200,
        error_messages={"required": _("Vui lòng nhập tên tổ.")},
    )


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
