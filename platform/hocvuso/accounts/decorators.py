from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .selectors import consent_is_current

# Set at sign-up, cleared when the new learner has said where they live:
# until then no lesson or test opens, so their commune's reports count them.
PLACE_PENDING_SESSION_KEY = "place_pending"


def learner_gate_url(request, *, come_back_to: str) -> str | None:
    """Where a logged-in learner must go before learning (the consent notice,
    or the place step after a sign-up), or None when they may learn."""
    if not consent_is_current(user=request.user, session=request.session):
        return f"{reverse('consent')}?{urlencode({'next': come_back_to})}"
    if request.session.get(PLACE_PENDING_SESSION_KEY) and request.user.unit_id is None:
        return f"{reverse('place_choose')}?{urlencode({'next': come_back_to})}"
    return None


def learner_required(view):
    """Logged in, agreed to the current personal-data notice (Law 91/2025)
    and, after a sign-up, said where they live."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(_come_back_to(request))
        gate = learner_gate_url(request, come_back_to=_come_back_to(request))
        if gate:
            return redirect(gate)
        return view(request, *args, **kwargs)

    return wrapper


def _come_back_to(request) -> str:
    """Where to return afterwards. A POST (enrol, start a test) cannot be
    replayed by a redirect, so go back to the page that held its button."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return urlsplit(referer).path or "/"
    return "/"
