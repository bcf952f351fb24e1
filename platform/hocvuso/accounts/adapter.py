from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.ratelimit import get_ip
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from .models import User
from .phone import VietnamesePhoneField, phone_normalize
from .services import SmsDailyCapReached, verification_code_send


class AccountAdapter(DefaultAccountAdapter):
    """Phone numbers live on our User model; codes go out as SMS."""

    def phone_form_field(self, **kwargs):
        return VietnamesePhoneField(**kwargs)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        # allauth's own address rule (trusted proxies, IPv6 per /64), so one
        # phone cannot get a fresh address for every code.
        request = context.request
        try:
            verification_code_send(phone=phone, code=code, address=get_ip(request))
        except SmsDailyCapReached as refusal:
            # Every flow that sends a code (sign-up, login, login by code, a
            # resend) ends here: no code went out, so there is nothing to
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

    def populate_username(self, request, user: User) -> None:
        # Learners never pick a username; the phone digits are unique already.
        if not user.username and user.phone:
            user.username = user.phone.lstrip("+")
        super().populate_username(request, user)

    def get_signup_redirect_url(self, request) -> str:
        return reverse("consent")

    def get_login_stages(self) -> list[str]:
        # Same stages and order; only phone verification copes with a rate limit.
        stock = "allauth.account.stages.PhoneVerificationStage"
        ours = "hocvuso.accounts.stages.RateLimitedPhoneVerificationStage"
        return [ours if path == stock else path for path in super().get_login_stages()]
