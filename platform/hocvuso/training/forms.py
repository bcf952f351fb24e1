from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hocvuso.accounts.phone import phone_normalize
from hocvuso.core.form_fields import TextField
from hocvuso.core.text import PLACE_MAX, place_name_clean

from .models import ClassKind
from .services import FIELDS_ALWAYS_EDITABLE

MAX_CAPACITY = 100_000
MAX_CHOSEN = 500
_DATETIME_INPUT = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)
_DATE_ERRORS = {
    "invalid": _("Ngày giờ không hợp lệ."),
    "required": _("Hãy chọn ngày giờ."),
}
# Far enough for any plan, near enough that no time zone arithmetic overflows.
LATEST_YEARS_AHEAD = 2


class SafeDateTimeField(forms.DateTimeField):
    """A date and time in this century: year 1 or 9999 answers "invalid"
    instead of overflowing when it is made aware in Vietnam's time zone."""

    def to_python(self, value):
        try:
            result = super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"]) from exc
        if result is not None and not 2000 <= result.year <= 2999:
            raise ValidationError(self.error_messages["invalid"])
        return result

    def clean(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError(self.error_messages["invalid"])
        return super().clean(value)


class CountField(forms.IntegerField):
    """A count typed with the digits 0–9 only: Python's int() would also read
    "١٢" (Arabic-Indic) as 12, which no one here means to type."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not value.strip().isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class TrainingClassForm(forms.Form):
    """The class; the course and unit choices are built by the view from
    what the admin may use."""

    title = TextField(
        label=_("Tên lớp"),
        max_length=PLACE_MAX,
        error_messages={"required": _("Vui lòng nhập tên lớp.")},
    )
    what = forms.ChoiceField(
        label=_("Khóa học hoặc chương trình"),
        error_messages={
            "required": _("Hãy chọn khóa học hoặc chương trình."),
            "invalid_choice": _("Khóa học hoặc chương trình không hợp lệ."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Hình thức"),
        choices=ClassKind.choices,
        error_messages={
            "required": _("Hãy chọn hình thức."),
            "invalid_choice": _("Hình thức không hợp lệ."),
        },
    )
    place = TextField(label=_("Địa điểm"), max_length=PLACE_MAX, required=False)
    conference_link = TextField(
        label=_("Đường dẫn phòng họp trực tuyến"), max_length=200, required=False
    )
    starts_at = SafeDateTimeField(
        label=_("Bắt đầu"), widget=_DATETIME_INPUT, error_messages=_DATE_ERRORS
    )
    ends_at = SafeDateTimeField(
        label=_("Kết thúc"), widget=_DATETIME_INPUT, error_messages=_DATE_ERRORS
    )
    trainer = TextField(
        label=_("Giảng viên"),
        max_length=150,
        error_messages={"required": _("Vui lòng nhập tên giảng viên.")},
    )
    capacity = CountField(
        label=_("Số chỗ"),
        min_value=1,
        max_value=MAX_CAPACITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Hãy nhập số chỗ."),
            "invalid": _("Số chỗ phải là một số nguyên."),
            "min_value": _("Số chỗ phải từ 1 trở lên."),
            "max_value": _("Số chỗ tối đa là %(limit_value)s."),
        },
    )
    units = forms.MultipleChoiceField(
        label=_("Đơn vị được mời (thành viên các tổ công nghệ số)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Đơn vị được mời không hợp lệ.")},
    )
    phones = TextField(
        multiline=True,
        label=_("Hoặc mời thêm từng người: số điện thoại, mỗi dòng một số"),
        widget=forms.Textarea(attrs={"rows": 3, "inputmode": "tel"}),
        max_length=20 * MAX_CHOSEN,
        required=False,
    )

    def __init__(
        self,
        *args,
        courses,
        programmes,
        units,
        people_lookup,
        started: bool = False,
        others_invited: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # An edit: people chosen one by one are already invited, so the list
        # may go without units; a started class keeps its times and list.
        self._started = started
        self._others_invited = others_invited
        if started:
            for name, field in self.fields.items():
                if name not in FIELDS_ALWAYS_EDITABLE:
                    field.disabled = True
                    field.required = False
        self.fields["what"].choices = (
            [("", _("— Chọn —"))]
            + [
                (f"p{p.pk}", _("Chương trình: %(t)s") % {"t": p.title})
                for p in programmes
            ]
            + [(f"c{c.pk}", c.title) for c in courses]
        )
        self.fields["units"].choices = [(u.code, u.name) for u in units]
        self._courses = {f"c{c.pk}": c for c in courses}
        self._programmes = {f"p{p.pk}": p for p in programmes}
        self._units = {u.code: u for u in units}
        # phone (E.164) → user id, or None: the admin's scope decides.
        self._people_lookup = people_lookup

    def clean_title(self) -> str:
        return place_name_clean(self.cleaned_data["title"], field=_("Tên lớp"))

    def clean_place(self) -> str:
        value = self.cleaned_data["place"]
        return place_name_clean(value, field=_("Địa điểm")) if value else ""

    def clean_trainer(self) -> str:
        return place_name_clean(self.cleaned_data["trainer"], field=_("Giảng viên"))

    def clean_conference_link(self) -> str:
        value = self.cleaned_data["conference_link"]
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError as exc:
                raise ValidationError(
                    _(
                        "Đường dẫn phòng họp không hợp lệ: hãy dán địa chỉ bắt đầu "
                        "bằng https://"
                    )
                ) from exc
        return value

    def clean_phones(self) -> list[int]:
        lines = [line for line in self.cleaned_data["phones"].splitlines() if line]
        if len(lines) > MAX_CHOSEN:
            raise ValidationError(
                _("Mỗi lần mời tối đa %(max)d số điện thoại."),
                params={"max": MAX_CHOSEN},
            )
        user_ids, unknown = [], []
        for line in lines:
            line = line.strip()
            if not line:
                continue
            try:
                user_id = self._people_lookup(phone_normalize(line))
            except ValidationError:
                user_id = None
            if user_id is None:
                unknown.append(line[:20])
            else:
                user_ids.append(user_id)
        if unknown:
            raise ValidationError(
                _(
                    "Không tìm thấy tài khoản trong phạm vi quản lý của bạn với số: "
                    "%(phones)s."
                ),
                params={"phones": ", ".join(unknown[:10])},
            )
        return user_ids

    def clean(self):
        data = super().clean()
        what = data.get("what") or ""
        data["course"] = self._courses.get(what)
        data["programme"] = self._programmes.get(what)
        data["invited_units"] = [self._units[c] for c in data.get("units") or []]
        kind = data.get("kind")
        if kind in (ClassKind.IN_PERSON, ClassKind.BOTH) and not data.get("place"):
            self.add_error("place", _("Lớp học trực tiếp cần có địa điểm."))
        if kind in (ClassKind.VIDEO, ClassKind.BOTH) and not data.get(
            "conference_link"
        ):
            self.add_error(
                "conference_link",
                _("Lớp học qua hội nghị truyền hình cần đường dẫn phòng họp."),
            )
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("ends_at", _("Giờ kết thúc phải sau giờ bắt đầu."))
            now = timezone.now()
            if self._started:
                pass  # times are disabled: the class's own, already past
            elif starts_at <= now:
                self.add_error("starts_at", _("Giờ bắt đầu phải ở tương lai."))
            elif starts_at.year > now.year + LATEST_YEARS_AHEAD:
                self.add_error(
                    "starts_at",
                    _("Chỉ lên lịch lớp trong vòng %(n)d năm tới.")
                    % {"n": LATEST_YEARS_AHEAD},
                )
        if (
            not data["invited_units"]
            and not data.get("phones")
            and not self._others_invited
            and not self._started
        ):
            self.add_error("units", _("Hãy mời ít nhất một đơn vị hoặc một người."))
        return data


class CodeForm(forms.Form):
    code = TextField(
        label=_("Mã điểm danh (6 chữ số giảng viên đọc)"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
        error_messages={"required": _("Hãy nhập mã điểm danh.")},
    )

    def clean_code(self) -> str:
        value = "".join(self.cleaned_data["code"].split())
        if not (value.isascii() and value.isdigit() and len(value) == 6):
            raise ValidationError(_("Mã điểm danh gồm 6 chữ số."))
        return value


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class CancelForm(forms.Form):
    reason = TextField(
        multiline=True,
        label=_("Lý do hủy (gửi kèm tin nhắn cho người được mời)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
        error_messages={
            "required": _("Hãy ghi lý do hủy lớp."),
            "max_length": _("Lý do hủy dài tối đa %(limit_value)d ký tự."),
        },
    )

    def clean_reason(self) -> str:
        # One line: it goes out in an SMS.
        value = " ".join(self.cleaned_data["reason"].split())
        if not value:
            raise ValidationError(_("Hãy ghi lý do hủy lớp."))
        if any(char in _BIDI_CONTROLS for char in value):
            # They would turn the SMS's words around on the phone.
            raise ValidationError(
                _("Lý do hủy chứa ký tự điều khiển hướng chữ không được phép.")
            )
        return value
