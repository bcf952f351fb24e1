"""The LMS registrations in the CMS (Cài đặt → Hệ thống học tập LTI), for
superusers only: a registration decides who may sign in to accounts here."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from .forms import LtiPlatformForm
from .models import LtiPlatform


class SuperuserOnlyPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        from hocvuso.accounts.models import User

        return User.objects.filter(is_active=True, is_superuser=True)


register_permission_policy(LtiPlatform, SuperuserOnlyPolicy(LtiPlatform))


class LtiPlatformViewSet(ModelViewSet):
    model = LtiPlatform
    name = "lti_platform"
    icon = "link-external"
    menu_label = _("Hệ thống học tập (LTI)")
    add_to_settings_menu = True
    form_fields = LtiPlatformForm.Meta.fields
    list_display = ["name", "issuer", "client_id", "enabled"]
    search_fields = ["name", "issuer"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return LtiPlatformForm


@hooks.register("register_admin_viewset")
def register_lti_platforms():
    return LtiPlatformViewSet()
