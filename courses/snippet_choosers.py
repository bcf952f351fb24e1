"""Wagtail's snippet chooser views check no permission: anyone let into the
CMS (a unit administrator too) could list every snippet through them. Every
snippet of the project chooses through this viewset instead, which asks for
the same rights as the snippet's own listing."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from hocvuso.core.text import text_clean
from wagtail.admin.forms.choosers import BaseFilterForm
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


class TitleSearchForm(BaseFilterForm):
    """A search box over the title, without a search index to keep up."""

    q = forms.CharField(
        label=_("Tìm theo tên"),
        widget=forms.TextInput(attrs={"placeholder": _("Tìm theo tên")}),
        required=False,
    )

    def clean_q(self) -> str:
        return text_clean(
            self.cleaned_data["q"], field=_("Tìm theo tên"), max_length=200
        )

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            self.is_searching = True
            self.search_query = query
            objects = objects.filter(title__icontains=query)
        return objects


class NewestFirstTitleSearch:
    """The newest first, as an editor looks for the video just uploaded (issue
    24, item 12: the chooser listed the oldest first and had no search)."""

    filter_form_class = TitleSearchForm
    ordering = "-pk"


class TitledChooseView(NewestFirstTitleSearch, ChooseView):
    pass


class TitledChooseResultsView(NewestFirstTitleSearch, ChooseResultsView):
    pass


class TitledChooserViewSet(PermissionCheckedChooserViewSet):
    choose_view_class = TitledChooseView
    choose_results_view_class = TitledChooseResultsView
