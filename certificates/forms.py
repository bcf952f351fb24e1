from django import forms
from django.utils.translation import gettext_lazy as _
from hocvuso.core.form_fields import TextField

from .credential_check import MAX_CHARS
from .models import RevocationCategory


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác minh"),
        max_length=200,
        help_text=_("Mã in dưới mã QR trên chứng nhận, hoặc dán cả đường dẫn."),
    )

    def clean_code(self) -> str:
        # People paste the whole link from the QR code: keep its last part.
        value = self.cleaned_data["code"].strip().rstrip("/")
        return value.rsplit("/", 1)[-1]


class RevokeForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Loại lý do (hiện công khai trên trang xác minh)"),
        choices=RevocationCategory.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Ghi chú nội bộ (không công khai)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReissueForm(forms.Form):
    holder_name = forms.CharField(label=_("Họ và tên đúng"), max_length=150)
    reason = forms.CharField(
        label=_("Lý do cấp lại"), max_length=500, initial=_("Sửa họ tên")
    )


class CredentialCheckForm(forms.Form):
    """A credential pasted, or its downloaded .jwt file."""

    text = TextField(
        label=_("Dán chứng chỉ số"),
        multiline=True,
        max_length=MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    file = forms.FileField(label=_("hoặc chọn tệp .jwt đã tải về"), required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if self.errors:
            return cleaned
        if upload:
            if upload.size > MAX_CHARS:
                raise forms.ValidationError(
                    _("Tệp quá lớn, đây không phải chứng chỉ số.")
                )
            try:
                cleaned["credential"] = upload.read(MAX_CHARS + 1).decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(
                    _("Tệp không phải chứng chỉ số (không đọc được nội dung).")
                ) from error
        else:
            cleaned["credential"] = cleaned.get("text") or ""
        return cleaned
