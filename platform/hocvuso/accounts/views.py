from allauth.account import views as allauth_views
from allauth.socialaccount.internal.flows.signup import (
    clear_pending_signup,
    get_pending_signup,
)
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hocvuso.orgunits.selectors import (
    admin_scope_get,
    teams_led_list,
)
from hocvuso.province_sites.selectors import request_look

from .decorators import PLACE_PENDING_SESSION_KEY
from .forms import (
    ConsentForm,
    ProfileForm,
    SignupPlaceForm,
    home_province_get,
    place_initial,
)
from .selectors import consent_is_current, privacy_notice_current
from .services import consent_give, profile_update, user_place_set
from .social_adapter import TRY_AGAIN


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def consent(request):
    notice = privacy_notice_current()
    next_url = _safe_next(request)
    if notice is None or consent_is_current(user=request.user, session=request.session):
        return redirect(next_url)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consent_give(user=request.user, notice=notice)
        messages.success(request, _("Cảm ơn bạn. Bây giờ bạn có thể bắt đầu học."))
        return redirect(next_url)
    return render(
        request,
        "accounts/consent.html",
        {"notice": notice, "form": form, "next": next_url},
    )


@login_required
def profile(request):
    user = request.user
    refreshing = "refresh" in request.POST
    form = ProfileForm(
        request.POST or None,
        initial=ProfileForm.initial_for(user),
        site_look=request_look(request),
        home_province=home_province_get(user),
    )
    if request.method == "POST" and not refreshing and form.is_valid():
        profile_update(
            user=user,
            full_name=form.cleaned_data["full_name"],
            birth_year=form.cleaned_data["birth_year"],
            unit=form.cleaned_data["unit"],
        )
        messages.success(request, _("Đã lưu thông tin cá nhân."))
        return redirect("profile")
    if refreshing:
        form.errors.clear()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "is_unit_admin": bool(admin_scope_get(user=user)),
            "teams_led": teams_led_list(user=user),
        },
    )


@login_required
def place_choose(request):
    """The last step of a sign-up, before the first course: where the new
    learner lives, so that their commune's and province's reports count them."""
    next_url = _safe_next(request)
    refreshing = "refresh" in request.POST
    form = SignupPlaceForm(
        request.POST or None,
        initial=place_initial(request.user.unit),
        site_look=request_look(request),
        home_province=home_province_get(request.user),
    )
    if request.method == "POST" and not refreshing and form.is_valid():
        user_place_set(user=request.user, unit=form.cleaned_data["unit"])
        request.session.pop(PLACE_PENDING_SESSION_KEY, None)
        return redirect(next_url)
    if refreshing:
        form.errors.clear()
    return render(request, "accounts/place.html", {"form": form, "next": next_url})


@require_GET
def place_fields(request):
    """htmx: the commune and village lists for the province/commune chosen."""
    form = ProfileForm(
        initial=request.GET.dict(),
        site_look=request_look(request),
        home_province=home_province_get(request.user),
    )
    return render(request, "accounts/_place_fields.html", {"form": form})


def verify_phone(request):
    """allauth's phone verification, plus a message when the code has expired.

    allauth sends the learner back to the login page without a word when the
    10 minutes are over; they need to know why, and how to get a new code.
    """
    response = allauth_views.verify_phone(request)
    bounced = (
        response.status_code == 302
        and response.url == reverse("account_login")
        and not request.user.is_authenticated
    )
    already_told = any(
        m.level == messages.ERROR
        for m in messages.get_messages(request)._queued_messages
    )
    if bounced and not already_told:
        messages.error(
            request,
            _(
                "Mã xác thực đã hết hạn. Hãy bấm “Gửi mã đăng nhập cho tôi” "
                "để nhận mã mới qua tin nhắn SMS."
            ),
        )
    return response


def login_elsewhere(request, default_next: str = "/"):
    """Stands where another app's password login was (the CMS, the Django
    admin, Wagtail's private pages), which had neither allauth's rate limits
    nor its phone verification. Never authenticates; allauth checks `next`."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or default_next
    return redirect_to_login(next_url, login_url=settings.LOGIN_URL)


def identity_signup_retry(request):
    """Instead of allauth's sign-up form after an identity provider: this site
    signs such a person up without a form, so allauth sends here only when
    another sign-in made an account with the number between its checks (two
    phones, one number, one moment). Pressing the button again reaches it."""
    if get_pending_signup(request) is not None:
        clear_pending_signup(request)
        messages.error(request, TRY_AGAIN)
    return redirect("account_login")
