"""Units and teams in the CMS, each administrator limited to their subtree."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from . import extra_time
from .models import Team, Unit
from .selectors import admin_scope_get, units_in_scope
from .services import TeamError, team_placement_check


class ScopedPermissionPolicy(BasePermissionPolicy):
    """Allowed when the object's unit is in the user's scope (DESIGN §5.5)."""

    def __init__(self, model, *, unit_field: str, actions: set[str]):
        super().__init__(model)
        self.unit_field = unit_field
        self.actions = actions

    def _unit(self, instance):
        return getattr(instance, self.unit_field) if self.unit_field else instance

    def user_has_permission(self, user, action):
        return action in self.actions and bool(admin_scope_get(user=user))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and admin_scope_get(
            user=user
        ).contains(self._unit(instance))

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model.objects.none()
        return self.model.objects.filter(admin_scope_get(user=user).q(self.unit_field))


class ScopedQuerysetMixin:
    def get_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        )


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "view"
        )


class ScopedEditView(ScopedQuerysetMixin, generic.EditView):
    pass


class ScopedDeleteView(ScopedQuerysetMixin, generic.DeleteView):
    pass


class ScopedObjectMixin:
    """For the views that look their object up themselves (history, usage):
    outside the scope it does not exist."""

    def get_base_object_queryset(self):
        return (
            super()
            .get_base_object_queryset()
            .filter(
                pk__in=self.permission_policy.instances_user_has_permission_for(
                    self.request.user, "view"
                )
            )
        )


class ScopedHistoryView(ScopedObjectMixin, generic.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, generic.UsageView):
    pass


# Units come from the national list or the commune's village form: no "add".
register_permission_policy(
    Unit, ScopedPermissionPolicy(Unit, unit_field="", actions={"view", "change"})
)
register_permission_policy(
    Team,
    # No "add": teams are created on the unit's admin page only (README).
    ScopedPermissionPolicy(
        Team, unit_field="unit", actions={"view", "change", "delete"}
    ),
)


class UnitViewSet(ModelViewSet):
    model = Unit
    name = "orgunits_unit"
    icon = "site"
    menu_label = _("Đơn vị")
    add_to_admin_menu = False
    form_fields = ["name", "kind"]
    list_display = ["name", "code", "level"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    copy_view_enabled = False
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView


class TeamAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = admin_scope_get(user=self.for_user)
        self.fields["unit"].queryset = units_in_scope(scope=scope).order_by("path")

    def clean(self):
        data = super().clean()
        if data.get("unit") and data.get("kind"):
            try:
                team_placement_check(unit=data["unit"], kind=data["kind"])
            except TeamError as error:
                raise forms.ValidationError(str(error)) from error
        return data


class TeamViewSet(ModelViewSet):
    model = Team
    name = "orgunits_team"
    icon = "group"
    menu_label = _("Tổ công nghệ số")
    add_to_admin_menu = False
    form_fields = ["name", "kind", "unit"]
    list_display = ["name", "kind", "unit"]
    list_filter = ["kind"]
    search_fields = ["name"]
    copy_view_enabled = False
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView

    def get_form_class(self, for_update=False):
        return forms.modelform_factory(
            Team, form=TeamAdminForm, fields=self.form_fields
        )


class OrganisationGroup(ViewSetGroup):
    menu_label = _("Tổ chức")
    menu_icon = "site"
    items = (UnitViewSet, TeamViewSet)


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationGroup()


@hooks.register("register_admin_urls")
def extra_time_admin_urls():
    return [path("cong-gio/", extra_time.extra_time, name="extra_time")]


@hooks.register("register_admin_menu_item")
def extra_time_menu_item():
    return MenuItem(
        _("Cộng giờ làm bài"), reverse("extra_time"), icon_name="time", order=320
    )
