from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LoginDelivery


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        error_messages={"required": _("Hãy chọn tệp danh sách cần nhập.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ImportConfirmForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Gửi thông tin đăng nhập cho tài khoản mới bằng cách"),
        choices=LoginDelivery.choices,
        initial=LoginDelivery.SMS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn cách gửi thông tin đăng nhập.")},
    )
