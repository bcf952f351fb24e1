from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .selectors import second_factor_required
from .session_user import session_user

MUST_CHANGE_SESSION_KEY = "must_change_password"


def _request_user(request):
    # Kept where Django keeps it, so what clears Django's clears this.
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with request.user loaded by session_user (a statement
    built once per process instead of once per request)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _request_user(request))


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


class AdminSecondFactorRequiredMiddleware:
    """Sends an administrator who has no authenticator app yet to allauth's
    page that sets one up, before any page of the unit admin, the CMS or the
    Django admin. Only those paths are guarded, so the two-factor pages,
    logout, static files and the language switch stay reachable.

    It asks whether the account has an authenticator, not how this session
    logged in: allauth's login stage already asks every account that has one
    for its code, and tests that log in with force_login get through once
    their user has one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_MFA_REQUIRED
            # The path first: learners' pages never load the user for this.
            and request.path.startswith(self._guarded())
            and request.user.is_authenticated
            and not is_mfa_enabled(request.user, [Authenticator.Type.TOTP])
            and second_factor_required(user=request.user)
        ):
            messages.warning(
                request,
                _(
                    "Tài khoản quản trị phải bật xác thực hai bước trước khi vào trang "
                    "quản trị. Hãy cài một ứng dụng xác thực (Google Authenticator, "
                    "Microsoft Authenticator…) trên điện thoại, quét mã QR dưới đây "
                    "rồi nhập mã 6 chữ số mà ứng dụng hiện ra."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _guarded() -> tuple[str, ...]:
        paths = [reverse("unit_admin_home"), reverse("wagtailadmin_home")]
        if settings.DJANGO_ADMIN_ENABLED:  # production does not mount it
            paths.append(reverse("admin:index"))
        return tuple(paths)


# Who last logged in on this browser, so that the next learner on a shared
# phone does not get the previous one's offline copies (their result page
# with the keys, their unsent answers).
PHONE_OWNER_COOKIE = "hocvuso_phone_owner"
PHONE_OWNER_SALT = "hocvuso.accounts.phone_owner"
PHONE_OWNER_MAX_AGE = 365 * 24 * 3600
# The quiz's service worker caches, its localStorage and IndexedDB, and the
# worker itself; cookies are left alone (the new session is in them).
CLEAR_OFFLINE_DATA = '"cache", "storage"'


class SharedPhoneMiddleware:
    """Clears the browser's offline data on log-out and on the log-in of a
    different account. The signals in signals.py mark the request; nothing is
    read or written on other requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "offline_data_clear", False):
            response["Clear-Site-Data"] = CLEAR_OFFLINE_DATA
        owner = getattr(request, "phone_owner", None)
        if owner is not None:
            response.set_signed_cookie(
                PHONE_OWNER_COOKIE,
                str(owner),
                salt=PHONE_OWNER_SALT,
                max_age=PHONE_OWNER_MAX_AGE,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
