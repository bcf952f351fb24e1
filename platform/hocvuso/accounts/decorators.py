from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import consent_is_current


def learner_required(view):
    """Logged in and agreed to the current personal-data notice (Law 91/2025)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not consent_is_current(user=request.user, session=request.session):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('consent')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
