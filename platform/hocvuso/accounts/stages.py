"""allauth's login stages, fitted to learners who share one address and to
staff who have no phone."""

from allauth.account.adapter import get_adapter
from allauth.account.stages import PhoneVerificationStage
from allauth.core.exceptions import RateLimited
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

CODES_RATE_LIMITED = _(
    "Đã gửi quá nhiều mã xác thực. Vui lòng đợi một phút rồi đăng nhập lại."
)


class RateLimitedPhoneVerificationStage(PhoneVerificationStage):
    """Sending the code consumes allauth's `verify_phone` rate limit, which
    raises RateLimited; allauth catches that on "resend" but not when the stage
    starts at login or signup, so a classroom behind one address got a 500.
    No code went out, so there is nothing to verify: end the login, as
    allauth's own stages do when they cannot go on, and say why on the login
    page."""

    def handle(self):
        if self.login.user is not None and not self.login.user.phone:
            # Editors and superusers are made without a phone (createsuperuser,
            # the CMS); allauth would end their login because the sign-up form
            # requires one. Learners always have one: sign-up and import ask.
            return None, True
        try:
            return super().handle()
        except RateLimited:
            get_adapter(self.request).add_message(
                self.request, messages.ERROR, message=CODES_RATE_LIMITED
            )
            return redirect("account_login"), False
