from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

MUST_CHANGE_SESSION_KEY = "must_change_password"


class PasswordChangeRequiredMiddleware:
    """Sends an account that logged in with a printed initial password to the
    password change page until it picks its own. The flag is read from the
    session (set at login), so other requests ask the database nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(MUST_CHANGE_SESSION_KEY):
            target = reverse("account_change_password")
            allowed = (target, reverse("account_logout"), "/static/", "/i18n/")
            if not request.path.startswith(allowed):
                messages.warning(
                    request,
                    _(
                        "Đây là lần đăng nhập đầu tiên: hãy đặt mật khẩu mới của riêng bạn."
                    ),
                )
                return redirect(target)
        return self.get_response(request)
