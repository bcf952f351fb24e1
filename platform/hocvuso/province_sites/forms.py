import re

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from hocvuso.core.text import text_clean

_PHONE = re.compile(r"[0-9+][0-9 .\-]{2,19}")
TEXT_FIELDS = ("name", "welcome", "contact_text", "contact_phone")
# NUL is refused with the colour rule's own message, not Django's English one.
NUL_CHECKED_HERE = (*TEXT_FIELDS, "primary_colour", "dark_colour")


class ProvinceSiteForm(WagtailAdminModelForm):
    """The CMS form of a site's look: its text goes through core.text, so a
    control character gets the same Vietnamese message as everywhere."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in NUL_CHECKED_HERE:
            field = self.fields[name]
            field.validators = [
                v
                for v in field.validators
                if not isinstance(v, ProhibitNullCharactersValidator)
            ]

    def _text(self, name: str) -> str:
        value = self.cleaned_data.get(name) or ""
        field = self.fields[name]
        return text_clean(value, field=field.label, max_length=field.max_length)

    def clean_name(self) -> str:
        return self._text("name")

    def clean_welcome(self) -> str:
        return self._text("welcome")

    def clean_contact_text(self) -> str:
        return self._text("contact_text")

    def clean_contact_phone(self) -> str:
        value = self._text("contact_phone")
        if value and not _PHONE.fullmatch(value):
            raise forms.ValidationError(
                _("Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm hoặc gạch nối.")
            )
        return value

    def clean_primary_colour(self) -> str:
        return (self.cleaned_data.get("primary_colour") or "").lower()

    def clean_dark_colour(self) -> str:
        return (self.cleaned_data.get("dark_colour") or "").lower()
