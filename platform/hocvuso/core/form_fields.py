"""Form fields whose text goes through core.text."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from .text import text_clean


class TextField(forms.CharField):
    """A CharField checked by `text_clean`, so that NUL gets the same
    Vietnamese message, naming the field, as every other control character
    (Django's own NUL check answers in English only)."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return text_clean(
            value,
            field=self.label,
            max_length=self.max_length or len(value),
            multiline=self.multiline,
        )
