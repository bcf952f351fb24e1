from django.db.models.signals import post_delete, post_save
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.snippet_choosers import PermissionCheckedChooserViewSet
from courses.translators import TRANSLATE_PERMISSION

from . import admin_views, translation_admin_views
from .bank import bank_invalidate
from .models import Choice, Question


class QuestionViewSet(SnippetViewSet):
    chooser_viewset_class = PermissionCheckedChooserViewSet
    model = Question
    icon = "help"
    menu_label = _("Ngân hàng câu hỏi")
    list_display = ["text", "course", "kind", "difficulty"]
    list_filter = ["course", "kind", "difficulty"]
    search_fields = ["text", "tags"]


register_snippet(QuestionViewSet)


def _question_changed(sender, instance, **kwargs) -> None:
    question = instance if isinstance(instance, Question) else instance.question
    bank_invalidate(course_id=question.course_id)


for model in (Question, Choice):
    post_save.connect(
        _question_changed, sender=model, dispatch_uid=f"bank-{model.__name__}"
    )
    post_delete.connect(
        _question_changed, sender=model, dispatch_uid=f"bank-d-{model.__name__}"
    )


@hooks.register("register_admin_urls")
def quiz_admin_urls():
    return [
        path(
            "cau-hoi/nhap/", admin_views.question_import, name="quizzes_question_import"
        ),
        path(
            "cau-hoi/nhap/xac-nhan/",
            admin_views.question_import_confirm_view,
            name="quizzes_question_import_confirm",
        ),
        path(
            "cau-hoi/mau.csv",
            admin_views.question_template,
            name="quizzes_question_template",
        ),
        path(
            "cau-hoi/mau.xlsx",
            admin_views.question_template_xlsx,
            name="quizzes_question_template_xlsx",
        ),
        path(
            "ban-dich/",
            translation_admin_views.translations,
            name="quizzes_translations",
        ),
        path(
            "ban-dich/<int:course_id>/<str:language>.po",
            translation_admin_views.translation_download,
            name="quizzes_translation_download",
        ),
        path(
            "ban-dich/<int:course_id>/<str:language>/tai-len/",
            translation_admin_views.translation_upload,
            name="quizzes_translation_upload",
        ),
        path(
            "ban-dich/<int:course_id>/<str:language>/can-dich-lai/",
            translation_admin_views.translation_stale,
            name="quizzes_translation_stale",
        ),
    ]


class PermissionMenuItem(MenuItem):
    """Shown only to those its screen lets in (a translator in the CMS has
    no question import)."""

    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request) -> bool:
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def question_import_menu_item():
    return PermissionMenuItem(
        _("Nhập câu hỏi"),
        reverse("quizzes_question_import"),
        icon_name="upload",
        order=310,
        permission="quizzes.add_question",
    )


@hooks.register("register_admin_menu_item")
def translations_menu_item():
    return PermissionMenuItem(
        _("Bản dịch"),
        reverse("quizzes_translations"),
        icon_name="globe",
        order=320,
        permission=TRANSLATE_PERMISSION,
    )
