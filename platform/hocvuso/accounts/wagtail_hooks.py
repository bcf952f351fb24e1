from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.snippet_choosers import PermissionCheckedChooserViewSet

from .models import PrivacyNotice


class PrivacyNoticeViewSet(SnippetViewSet):
    chooser_viewset_class = PermissionCheckedChooserViewSet
    model = PrivacyNotice
    icon = "lock"
    list_display = ["title", "version", "published_at"]
    menu_label = "Thông báo dữ liệu cá nhân"


register_snippet(PrivacyNoticeViewSet)
