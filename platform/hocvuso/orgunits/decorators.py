from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .selectors import admin_scope_get


def unit_admin_required(view):
    """Logged in and administering some part of the tree; the view gets the
    scope as `request.scope` and must look every unit up through it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = admin_scope_get(user=request.user)
        if not scope:
            raise PermissionDenied
        request.scope = scope
        return view(request, *args, **kwargs)

    return wrapper
