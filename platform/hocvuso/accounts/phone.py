"""Vietnamese phone numbers: what people type → E.164."""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-()]")

INVALID_PHONE = _(
    "Số điện thoại không hợp lệ. Hãy nhập số di động Việt Nam, ví dụ 0912 345 678."
)


def phone_normalize(raw: str) -> str:
    """Return the E.164 form of a Vietnamese number or raise ValidationError.

    Accepts 09…, +84…, 84… and 0084…, with spaces, dots, dashes or brackets.
    """
    value = _SEPARATORS.sub("", raw or "")
    if value.startswith("0084"):
        value = "+" + value[2:]
    elif value.startswith("84") and len(value) == 11:
        value = "+" + value
    if not re.fullmatch(r"\+?\d{9,12}", value):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    try:
        number = phonenumbers.parse(value, "VN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_PHONE, code="invalid_phone") from exc
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_search_digits(raw: str) -> str:
    """What to look for in stored E.164 numbers when someone searches for
    a phone as people write it (0912 345 601, +84 912 345 601, 84912345601,
    or part of one): the whole E.164 number, else the digits without the
    leading 0; "" when `raw` is not a number at all."""
    value = _SEPARATORS.sub("", raw or "")
    if not re.fullmatch(r"\+?[0-9]+", value):
        return ""
    try:
        return phone_normalize(value)
    except ValidationError:
        return value.lstrip("+").removeprefix("0")


def phone_display(e164: str) -> str:
    """+84912345678 → 0912 345 678, as people write it."""
    number = phonenumbers.parse(e164, "VN")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class VietnamesePhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Số điện thoại"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "inputmode": "tel",
                    "autocomplete": "tel",
                    "placeholder": "0912 345 678",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return phone_normalize(value)
