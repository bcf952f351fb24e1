"""UnitAdminBackend lets province and commune administrators into the CMS for
their units, teams and certificates. Wagtail then offers them every other admin
screen its URLs register (page choosers, workflow tasks, the admin API, move
confirmations…), each with its own idea of who may see what. A unit
administrator who holds no CMS right of their own reaches only the screens
named here; every other CMS URL answers 403 (DESIGN §5.5)."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from .selectors import admin_scope_get

UNIT_ADMIN_CMS_URLS = frozenset(
    {
        "wagtailadmin_home",
        "wagtailadmin_account",
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "wagtailadmin_dismissibles",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "extra_time",
        "certificates_admin",
        "certificates_admin_detail",
    }
)
UNIT_ADMIN_CMS_NAMESPACES = frozenset(
    {"orgunits_unit", "orgunits_team", "wagtailadmin_editing_sessions"}
)

_model_backend = ModelBackend()


class UnitAdminCmsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        if not user.is_authenticated or user.is_superuser:
            return None
        # CMS rights of their own (a content editor's group): Wagtail decides.
        if _model_backend.has_perm(user, "wagtailadmin.access_admin"):
            return None
        if not admin_scope_get(user=user):
            return None  # not let in by UnitAdminBackend: Wagtail refuses
        match = request.resolver_match
        if match.view_name in UNIT_ADMIN_CMS_URLS or (
            match.namespace in UNIT_ADMIN_CMS_NAMESPACES
        ):
            return None
        raise PermissionDenied
