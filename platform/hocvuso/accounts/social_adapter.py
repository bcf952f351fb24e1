"""Which account a sign-in through an identity provider reaches.

A provider's `sub` already linked here: that account. Otherwise only a phone
number the provider says it verified (claims phone_number and
phone_number_verified) counts: the account with that number is linked, as a
login by SMS code to that number would reach it (and an unproven sign-up
with the number loses its password, as after such a code); no account has
it, a new one is made with it, and the learner then consents and says where
they live, as after any sign-up. Never by name, never by e-mail, and never an
unverified number: those are refused with a message on the login page.
"""

from urllib.parse import urlsplit

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from hocvuso.core.text import person_name_clean

from .decorators import PLACE_PENDING_SESSION_KEY
from .models import User
from .services import account_identity_link
from .signals import PASSWORD_TAKEN_MESSAGE

NO_VERIFIED_PHONE = _(
    "Tài khoản định danh của bạn chưa có số điện thoại đã được xác thực, nên "
    "không thể dùng để đăng nhập ở đây. Hãy đăng nhập bằng số điện thoại của bạn."
)
PHONE_HAS_ANOTHER_IDENTITY = _(
    "Số điện thoại này đã gắn với một tài khoản định danh khác. Hãy đăng nhập "
    "bằng số điện thoại và mật khẩu hoặc mã SMS."
)
ONLY_LOGIN = _("Tài khoản định danh chỉ dùng được để đăng nhập.")
TRY_AGAIN = _(
    "Số điện thoại này vừa được dùng để đăng nhập ở một nơi khác. Hãy thử lại."
)
EVERY_SITE = "*"


def app_offered_on(app, *, hostname: str) -> bool:
    """A provider is offered on the sites its settings name ("*": all)."""
    sites = app.settings.get("sites")
    if not isinstance(sites, list):
        return False
    return EVERY_SITE in sites or hostname in sites


def _site_hostname(request) -> str:
    site = Site.find_for_request(request)
    return site.hostname if site is not None else ""


def identity_provider_origins(request) -> list[str]:
    """Where the sign-in buttons of this site lead: the origin of each
    provider's server_url, and any its settings add under "form_action"
    (an authorisation endpoint on another origin)."""
    origins = []
    for app in get_adapter(request).list_apps(request):
        urls = [app.settings.get("server_url")]
        extra = app.settings.get("form_action")
        urls += extra if isinstance(extra, list) else []
        for url in urls:
            parts = urlsplit(url) if isinstance(url, str) else None
            if parts and parts.scheme in ("https", "http") and parts.netloc:
                origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        if request is None:
            return super().list_apps(request, provider=provider, client_id=client_id)
        # Asked by the page (its buttons) and by its security policy: once.
        memo = request.__dict__.setdefault("_identity_apps", {})
        if (provider, client_id) not in memo:
            apps = super().list_apps(request, provider=provider, client_id=client_id)
            hostname = _site_hostname(request)
            memo[provider, client_id] = [
                app for app in apps if app_offered_on(app, hostname=hostname)
            ]
        return memo[provider, client_id]

    def pre_social_login(self, request, sociallogin) -> None:
        if sociallogin.state.get("process") != AuthProcess.LOGIN:
            # allauth's "connect" (add a provider to the account one is
            # logged in to) is not offered: an identity reaches an account
            # only by the rules above.
            self._refuse(request, ONLY_LOGIN)
        if sociallogin.is_existing:
            return  # this identity has signed in here before
        if not (sociallogin.phone and sociallogin.phone_verified):
            self._refuse(request, NO_VERIFIED_PHONE)
        user = User.objects.filter(phone=sociallogin.phone).first()
        if user is None:
            return  # allauth signs them up (populate_user, save_user)
        provider = sociallogin.account.provider
        if SocialAccount.objects.filter(user=user, provider=provider).exists():
            # Two identities of one provider with one number (a family's
            # phone): the second may not take the first one's account.
            self._refuse(request, PHONE_HAS_ANOTHER_IDENTITY)
        if account_identity_link(user=user, phone=sociallogin.phone):
            messages.warning(request, PASSWORD_TAKEN_MESSAGE)
        sociallogin.connect(request, user)

    def _refuse(self, request, message) -> None:
        messages.error(request, message)
        back = "profile" if request.user.is_authenticated else "account_login"
        raise ImmediateHttpResponse(redirect(back))

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        # pre_social_login found no account with the number; one made since
        # (another sign-in with the same number, at the same moment) would
        # send allauth to its sign-up form, which this site does not use.
        if User.objects.filter(phone=sociallogin.phone).exists():
            self._refuse(request, TRY_AGAIN)
        return True

    def populate_user(self, request, sociallogin, data):
        # Only for a new account: the verified number, and the name when it
        # passes the name rule (the profile asks for it otherwise).
        user = sociallogin.user
        user.phone = sociallogin.phone
        name = data.get("name")
        try:
            user.full_name = person_name_clean(name) if isinstance(name, str) else ""
        except ValidationError:
            user.full_name = ""
        return user

    def save_user(self, request, sociallogin, form=None):
        try:
            with transaction.atomic():
                user = super().save_user(request, sociallogin, form=form)
        except IntegrityError:
            # The same race, lost between that check and the insert.
            self._refuse(request, TRY_AGAIN)
        # Where they live, asked next, as after a sign-up by phone.
        request.session[PLACE_PENDING_SESSION_KEY] = True
        return user
