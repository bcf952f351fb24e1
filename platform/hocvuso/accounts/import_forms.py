from django import forms
from django.utils.translation import gettext_lazy as _

from .import_files import MAX_UPLOAD_MB
from .import_messages import FILE_ERRORS
from .models import LoginDelivery


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách (.xlsx hoặc .csv)"),
        error_messages={"required": _("Hãy chọn tệp danh sách cần nhập.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Judged on the size the upload handler counted, before a byte is read.
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                FILE_ERRORS["too_large"] % {"max": MAX_UPLOAD_MB}
            )
        return upload


class ImportConfirmForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Gửi thông tin đăng nhập cho tài khoản mới bằng cách"),
        choices=LoginDelivery.choices,
        initial=LoginDelivery.SMS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn cách gửi thông tin đăng nhập.")},
    )
