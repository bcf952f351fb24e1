from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.ratelimit import get_ip
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .models import User
from .phone import VietnamesePhoneField, phone_normalize
from .selectors import login_account_key
from .services import (
    SmsDailyCapReached,
    account_exists_sms_send,
    account_unknown_sms_send,
    verification_code_send,
)


class AccountAdapter(DefaultAccountAdapter):
    """Phone numbers live on our User model; codes go out as SMS."""

    def phone_form_field(self, **kwargs):
        return VietnamesePhoneField(**kwargs)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        self._sms_within_daily_caps(verification_code_send, phone=phone, code=code)

    def send_account_already_exists_sms(self, phone: str) -> None:
        self._sms_within_daily_caps(account_exists_sms_send, phone=phone)

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        self._sms_within_daily_caps(account_unknown_sms_send, phone=phone)

    def _sms_within_daily_caps(self, send, **kwargs) -> None:
        # allauth's own address rule (trusted proxies, IPv6 per /64), so one
        # phone cannot get a fresh address for every code. The three SMS of
        # the sign-in flows share one budget and one refusal, so the cap does
        # not tell a stranger whether a number has an account either.
        request = context.request
        try:
            send(address=get_ip(request), **kwargs)
        except SmsDailyCapReached as refusal:
            # Every flow that sends an SMS (sign-up, login, login by code, a
            # resend) ends here: nothing went out, so there is nothing to
            # verify. End the pending login and say why on the login page.
            clear_login(request)
            self.add_message(request, messages.ERROR, message=str(refusal))
            raise ImmediateHttpResponse(redirect("account_login")) from refusal

    def set_phone(self, user: User, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user: User) -> tuple[str, bool] | None:
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user: User, phone: str) -> None:
        User.objects.filter(pk=user.pk, phone=phone).update(phone_verified=True)
        user.phone_verified = True

    def get_user_by_phone(self, phone: str) -> User | None:
        # The login form passes the number as typed ("0912 345 678").
        try:
            phone = phone_normalize(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone).first()

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys its per-account failure limit on the text as typed:
        # every spelling of a number had its own 5 tries. (Private in allauth,
        # but the one place both the lockout and its reset read the key.)
        typed = (
            credentials.get("username")
            or credentials.get("phone")
            or credentials.get("email")
            or ""
        )
        return login_account_key(login=typed)

    def save_user(self, request, user: User, form, commit: bool = True) -> User:
        # allauth makes the username before it stores the number and the
        # name: without them every sign-up was "user", "user2"…
        user.full_name = form.cleaned_data.get("full_name") or ""
        user.phone = form.cleaned_data.get("phone") or None
        return super().save_user(request, user, form, commit=commit)

    def populate_username(self, request, user: User) -> None:
        # Learners never pick a username (they are greeted by their name):
        # the phone digits, as for imported accounts.
        if not user.username and user.phone:
            user.username = self.generate_unique_username(
                [user.phone.lstrip("+"), "hocvien"]
            )
        super().populate_username(request, user)

    def get_signup_redirect_url(self, request) -> str:
        # Consent to the personal-data notice, then where they live.
        query = urlencode({"next": reverse("place_choose")})
        return f"{reverse('consent')}?{query}"

    def get_login_stages(self) -> list[str]:
        # Same stages and order; only phone verification copes with a rate limit.
        stock = "allauth.account.stages.PhoneVerificationStage"
        ours = "hocvuso.accounts.stages.RateLimitedPhoneVerificationStage"
        return [ours if path == stock else path for path in super().get_login_stages()]
