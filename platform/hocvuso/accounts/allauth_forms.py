"""allauth's forms, fitted to phone users. Kept apart from forms.py, which
allauth imports while it builds its own forms (ACCOUNT_SIGNUP_FORM_CLASS)."""

from allauth.account.forms import (
    ConfirmLoginCodeForm,
    LoginForm,
    RequestLoginCodeForm,
    SignupForm,
    VerifyPhoneForm,
)
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import User
from .selectors import sms_code_guesses_exhausted
from .services import sms_code_guess_failed

GUESSES_EXHAUSTED = _(
    "Tài khoản này đã nhập sai mã quá nhiều lần trong hôm nay. "
    "Vui lòng thử lại vào ngày mai."
)


class _NumericCodeMixin:
    """Phones show the digit keypad for a code: 6 digits by SMS or from an
    authenticator app, 8 for a recovery code."""

    code_length = 6

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "maxlength": str(self.code_length),
            }
        )


class _DailyGuessCeilingMixin:
    """allauth allows a few tries per code and a new code every minute or
    so: thousands of guesses a day. Wrong codes are counted per account and
    day, at login and phone verification together; past the ceiling even
    the right code is refused until tomorrow."""

    def _account(self) -> User | None:
        raise NotImplementedError

    def clean_code(self):
        user = self._account()
        if user is not None and sms_code_guesses_exhausted(user=user):
            raise ValidationError(GUESSES_EXHAUSTED, code="guesses_exhausted")
        try:
            return super().clean_code()
        except ValidationError as error:
            if user is not None and error.code == "incorrect_code":
                sms_code_guess_failed(user=user)
            raise


class VerifyPhoneCodeForm(_NumericCodeMixin, _DailyGuessCeilingMixin, VerifyPhoneForm):
    def _account(self) -> User | None:
        return self.user


class ConfirmLoginCodeDigitsForm(
    _NumericCodeMixin, _DailyGuessCeilingMixin, ConfirmLoginCodeForm
):
    def _account(self) -> User | None:
        # allauth hands this form no user; its view runs inside the pending
        # login, which its decorator puts on the request.
        stage = getattr(context.request, "_login_stage", None)
        return stage.login.user if stage is not None else None


class ActivateTOTPDigitsForm(_NumericCodeMixin, ActivateTOTPForm):
    pass


class AuthenticateDigitsForm(_NumericCodeMixin, AuthenticateForm):
    code_length = 8  # or a recovery code


class ReauthenticateDigitsForm(_NumericCodeMixin, ReauthenticateForm):
    code_length = 8


# ?ban-phim=chu on the login page: the letter keyboard, for a username.
LETTER_KEYBOARD_PARAM = "ban-phim"


def _shared_device_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Đây là điện thoại dùng chung"),
        help_text=_(
            "Bạn sẽ tự đăng xuất khi đóng trình duyệt. Dùng xong, hãy bấm "
            "“Đăng xuất” để người sau không vào được tài khoản của bạn."
        ),
        required=False,
    )


class PhoneLoginForm(LoginForm):
    """allauth's "remember me" (ACCOUNT_SESSION_REMEMBER = None), asked the
    other way round: a family's or the commune's phone is the exception, and
    ticking it makes the session end when the browser closes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Password reset works by e-mail, which learners here do not have;
        # the way back in is a login code by SMS, offered under the form.
        self.fields["password"].help_text = ""
        self._fit_login_keyboard()
        del self.fields["remember"]
        self.fields["shared_device"] = _shared_device_field()

    def _fit_login_keyboard(self) -> None:
        """Citizens log in with their number, so the field opens the phone
        keypad (inputmode=tel; type=tel would hint a phone-only value to
        browsers and password managers). The keypad has no letters, so
        whoever logs in with a username (administrators, the demo accounts)
        gets a link to the same form with the letter keyboard; no script."""
        query = (
            self.request.GET.copy()
            if self.request is not None
            else QueryDict(mutable=True)
        )
        letters = query.pop(LETTER_KEYBOARD_PARAM, None) is not None
        if letters:
            label, question, switch = (
                _("Số điện thoại hoặc tên đăng nhập"),
                _("Chỉ có số điện thoại?"),
                _("Dùng bàn phím số"),
            )
        else:
            query[LETTER_KEYBOARD_PARAM] = "chu"
            label, question, switch = (
                _("Số điện thoại"),
                _("Có tên đăng nhập?"),
                _("Dùng bàn phím chữ"),
            )
        field = self.fields["login"]
        field.label = label
        field.widget.attrs.update(
            {
                "inputmode": "text" if letters else "tel",
                "autocomplete": "username",
                "placeholder": "0901 234 567",
            }
        )
        field.help_text = format_html(
            '{} <a href="?{}" class="keyboard-switch">{}</a>',
            question,
            query.urlencode(),
            switch,
        )

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data["remember"] = not cleaned_data.get("shared_device")
        return cleaned_data


class PhoneRequestLoginCodeForm(RequestLoginCodeForm):
    """The same choice for a login by SMS code. allauth sets no expiry on that
    path, so it is set here on the session the login will keep (Django's
    login() changes the session key but keeps its data, expiry included)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_device"] = _shared_device_field()

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors:
            shared = cleaned_data.get("shared_device")
            context.request.session.set_expiry(0 if shared else None)
        return cleaned_data


class PhoneSignupForm(SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields["password1"]
        password.label = _("Mật khẩu (không bắt buộc)")
        password.help_text = _(
            "Có thể bỏ trống: bạn sẽ đăng nhập bằng mã gửi qua tin nhắn SMS. "
            "Nếu đặt, mật khẩu cần ít nhất 8 ký tự, không chỉ gồm chữ số."
        )

    def clean(self):
        cleaned_data = super().clean()
        # allauth checks the password against a blank user; the name and the
        # number it must not resemble are only known here.
        password = cleaned_data.get("password1")
        if password and not self.has_error("password1"):
            user = User(
                full_name=cleaned_data.get("full_name") or "",
                phone=cleaned_data.get("phone") or None,
            )
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data
