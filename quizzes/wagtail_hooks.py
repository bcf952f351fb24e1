from django.db.models.signals import post_delete, post_save
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .bank import bank_invalidate
from .models import Choice, Question


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = "Ngân hàng câu hỏi"
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
