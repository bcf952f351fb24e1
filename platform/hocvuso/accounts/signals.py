from allauth.account.signals import password_changed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import MUST_CHANGE_SESSION_KEY


@receiver(user_logged_in)
def _remember_password_change_required(sender, request, user, **kwargs):
    if getattr(user, "must_change_password", False) and request is not None:
        request.session[MUST_CHANGE_SESSION_KEY] = True


@receiver(password_changed)
def _clear_password_change_required(sender, request, user, **kwargs):
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    if request is not None:
        request.session.pop(MUST_CHANGE_SESSION_KEY, None)
