"""Wagtail's snippet chooser views check no permission: anyone let into the
CMS (a unit administrator too) could list every snippet through them. Every
snippet of the project chooses through this viewset instead, which asks for
the same rights as the snippet's own listing."""

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser

# The snippet listing's own rule (SnippetViewSet's IndexView).
LISTING_ACTIONS = ["add", "change", "delete", "view"]


class _PermissionChecked:
    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(self.model_class) or (
            ModelPermissionPolicy(self.model_class)
        )
        if not policy.user_has_any_permission(request.user, LISTING_ACTIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ChooseView(_PermissionChecked, chooser.ChooseView):
    pass


class ChooseResultsView(_PermissionChecked, chooser.ChooseResultsView):
    pass


class ChosenView(_PermissionChecked, chooser.SnippetChosenView):
    pass


class ChosenMultipleView(_PermissionChecked, chooser.SnippetChosenMultipleView):
    pass


class CreateView(_PermissionChecked, chooser.SnippetCreateView):
    pass


class PermissionCheckedChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = CreateView
