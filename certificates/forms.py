from django import forms
from django.utils.translation import gettext_lazy as _

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
