"""Password rules Django does not have: the user's own name and phone number,
folded the way Vietnamese users type them (no diacritics, no spaces), and the
current password, so a printed one-time password cannot be "changed" to
itself."""

from difflib import SequenceMatcher

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .import_rows import fold

# Django's UserAttributeSimilarityValidator uses the same ratio.
MAX_SIMILARITY = 0.7
# Shorter given names (An, Lan, Hoa) turn up inside ordinary words.
MIN_NAME_WORD = 4


def _letters_and_digits(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


class PersonalDataValidator:
    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        typed = _letters_and_digits(password)
        words = [_letters_and_digits(w) for w in (user.full_name or "").split()]
        name = "".join(words)
        if name and (
            name in typed
            or SequenceMatcher(a=typed, b=name).ratio() >= MAX_SIMILARITY
            or any(len(w) >= MIN_NAME_WORD and w in typed for w in words)
        ):
            raise ValidationError(
                _("Mật khẩu quá giống với họ và tên của bạn."), code="password_name"
            )
        # The nine digits after +84 are in every way the number is written.
        number = (user.phone or "")[3:]
        if number and number in "".join(c for c in password if c.isdigit()):
            raise ValidationError(
                _("Mật khẩu không được chứa số điện thoại của bạn."),
                code="password_phone",
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu không được giống họ tên hay chứa số điện thoại của bạn.")


class NotCurrentPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        # check_password() of the hashers module, not the user's: that one
        # would also re-hash and save the password it checks.
        if user is not None and check_password(password, user.password):
            raise ValidationError(
                _("Mật khẩu mới phải khác mật khẩu hiện tại."), code="password_same"
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu mới phải khác mật khẩu hiện tại.")
