from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from hocvuso.core.text import text_clean

from .endpoint import endpoint_clean

NUL_CHECKED_HERE = ("endpoint", "key", "secret")


class LrsSettingsForm(WagtailAdminModelForm):
    """The secret is never sent back to the browser: left empty, the saved
    one stays."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in NUL_CHECKED_HERE:
            field = self.fields[name]
            field.validators = [
                v
                for v in field.validators
                if not isinstance(v, ProhibitNullCharactersValidator)
            ]
        self._saved_secret = self.instance.secret if self.instance.pk else ""

    def _text(self, name: str) -> str:
        field = self.fields[name]
        value = self.cleaned_data.get(name) or ""
        return text_clean(value, field=field.label, max_length=field.max_length)

    def clean_endpoint(self) -> str:
        value = self._text("endpoint")
        return (
            endpoint_clean(value, field=self.fields["endpoint"].label) if value else ""
        )

    def clean_key(self) -> str:
        value = self._text("key")
        if ":" in value:
            # Basic authentication joins the key and the secret with ":".
            raise ValidationError(_("Khóa truy cập không được chứa dấu hai chấm (:)."))
        return value

    def clean_secret(self) -> str:
        return self._text("secret") or self._saved_secret

    def clean(self):
        data = super().clean()
        if data.get("enabled") and not data.get("endpoint"):
            self.add_error(
                "endpoint", ValidationError(_("Hãy nhập địa chỉ LRS trước khi bật."))
            )
        return data
