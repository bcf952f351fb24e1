from django.contrib import messages
from django.contrib.auth.models import Permission
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from courses.snippet_choosers import TitledChooserViewSet

from .course_sites import page_on_request_site_or_404
from .forms import ContentPackageForm, LessonMediaForm
from .models import ContentPackage, LessonMedia, MediaStatus
from .services import media_retry, media_transcode_enqueue


class LessonMediaIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.status == MediaStatus.FAILED:
            buttons.append(
                ListingButton(
                    _("Chuyển mã lại"),
                    url=reverse("courses_lessonmedia_retry", args=[instance.pk]),
                    icon_name="rotate",
                    priority=5,
                )
            )
        return buttons


class LessonMediaViewSet(SnippetViewSet):
    chooser_viewset_class = TitledChooserViewSet
    model = LessonMedia
    icon = "media"
    menu_label = gettext_lazy("Video và âm thanh")
    add_to_admin_menu = True
    menu_order = 305
    index_view_class = LessonMediaIndexView
    list_display = ["title", "kind", "language", "status_display", "duration"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("kind"),
            FieldPanel("language"),
            FieldPanel("translation_of"),
            FieldPanel("original"),
            FieldPanel("captions"),
            FieldPanel("transcript"),
        ],
        base_form_class=LessonMediaForm,
    )


register_snippet(LessonMediaViewSet)


@hooks.register("before_serve_page")
def province_course_only_on_its_site(page, request, serve_args, serve_kwargs):
    """A province's own course, its lessons and its test are 404 on every
    other site (course_sites.py)."""
    page_on_request_site_or_404(request, page)


class ContentPackageViewSet(SnippetViewSet):
    chooser_viewset_class = TitledChooserViewSet
    model = ContentPackage
    icon = "form"
    menu_label = gettext_lazy("Gói nội dung")
    add_to_admin_menu = True
    menu_order = 306
    list_display = ["title", "launch", "file_count", "created_at"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("archive")],
        base_form_class=ContentPackageForm,
    )


register_snippet(ContentPackageViewSet)


def lesson_media_retry(request, pk: int):
    media = get_object_or_404(LessonMedia, pk=pk)
    if not request.user.has_perm("courses.change_lessonmedia"):
        return redirect("wagtailadmin_home")
    if request.method == "POST":
        media_retry(media=media)
        messages.success(
            request, _("Đã xếp “%(title)s” vào hàng chờ chuyển mã.") % {"title": media}
        )
        return redirect(reverse("wagtailsnippets_courses_lessonmedia:list"))
    return TemplateResponse(request, "courses/admin/media_retry.html", {"media": media})


@hooks.register("register_admin_urls")
def media_admin_urls():
    return [
        path(
            "video/<int:pk>/chuyen-ma-lai/",
            lesson_media_retry,
            name="courses_lessonmedia_retry",
        )
    ]


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def media_saved(request, instance):
    if isinstance(instance, LessonMedia) and instance.status == MediaStatus.QUEUED:
        media_transcode_enqueue(media=instance)


@hooks.register("register_permissions")
def translate_content_permission():
    """Offered on a group's page of the CMS (the "Người dịch" group holds it)."""
    return Permission.objects.filter(
        content_type__app_label="courses", codename="translate_content"
    )
