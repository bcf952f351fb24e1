"""Questions in the learner's language (issue 22, part 2).

A translation is shown only while it matches the Vietnamese it was made
from (the hash of the question's text, choices and explanation); after an
edit the Vietnamese is shown until the translation is renewed. Choices keep
their ids in every language: grading never reads a translation.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from hocvuso.core.text import text_clean

from courses.translation import content_languages

from .bank import bank_invalidate, question_source_hash
from .models import Question, QuestionTranslation

TEXT_MAX = 4000


def question_translation_save(
    *,
    question: Question,
    language: str,
    text: str,
    choices: list[str],
    explanation: str = "",
    reviewed: bool = False,
) -> QuestionTranslation:
    if language not in content_languages():
        raise ValidationError(
            _("Ngôn ngữ “%(language)s” không có trong danh sách ngôn ngữ nội dung."),
            params={"language": str(language)[:20]},
        )
    sources = list(question.choices.order_by("sort_order", "pk"))
    if not isinstance(choices, list) or len(choices) != len(sources):
        raise ValidationError(
            _("Câu hỏi có %(n)d đáp án: bản dịch phải có đúng %(n)d đáp án."),
            params={"n": len(sources)},
        )
    field = _("Bản dịch câu hỏi")
    wanted = {
        "text": text_clean(text, field=field, max_length=TEXT_MAX, multiline=True),
        "choices": [text_clean(c, field=field, max_length=500) for c in choices],
        "explanation": text_clean(
            explanation, field=field, max_length=TEXT_MAX, multiline=True
        ),
        "source_hash": question_source_hash(
            text=question.text,
            choices=[c.text for c in sources],
            explanation=question.explanation,
        ),
        "reviewed": reviewed,
    }
    kept = QuestionTranslation.objects.filter(
        question=question, language=language
    ).first()
    # Saving renews the course's question bank in every process: not for a
    # second seed or an import of the same file.
    if kept and all(getattr(kept, name) == value for name, value in wanted.items()):
        return kept
    translation, _created = QuestionTranslation.objects.update_or_create(
        question=question, language=language, defaults=wanted
    )
    bank_invalidate(course_id=question.course_id)
    return translation
