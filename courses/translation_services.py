"""Writes of page translations (the reads are in translation.py)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from hocvuso.core.text import text_clean
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from .blocks import LessonBodyBlock
from .models import PageTranslation
from .translation import content_languages, is_rich_text, page_segments, source_hash

SEGMENT_MAX = 20_000


def page_translation_save(
    *, page, language: str, texts: dict[str, str], reviewed: bool | None = None
) -> PageTranslation:
    """Store translated segments of `page`, each against the Vietnamese it
    translates now; other segments already translated stay. `reviewed`
    None leaves the translator's check as it was; a change of text by
    anyone but a reviewer clears it."""
    if language not in content_languages():
        raise ValidationError(
            _("Ngôn ngữ “%(language)s” không có trong danh sách ngôn ngữ nội dung."),
            params={"language": str(language)[:20]},
        )
    sources = page_segments(page)
    unknown = sorted(set(texts) - set(sources))
    if unknown:
        raise ValidationError(
            _("Trang “%(title)s” không có đoạn “%(key)s”."),
            params={"title": page.title, "key": str(unknown[0])[:80]},
        )
    cleaned = {}
    for key, text in texts.items():
        field = _("Đoạn %(key)s") % {"key": key}
        if not isinstance(text, str):
            raise ValidationError(
                _("%(field)s phải là văn bản."), params={"field": field}
            )
        text = text_clean(text, field=field, max_length=SEGMENT_MAX, multiline=True)
        if text:
            cleaned[key] = _rich_text_clean(text) if is_rich_text(key) else text
    translation, created = PageTranslation.objects.get_or_create(
        page_id=page.pk, language=language
    )
    was_reviewed = translation.reviewed
    changed = False
    for key, text in cleaned.items():
        entry = {"text": text, "source_hash": source_hash(sources[key])}
        changed |= translation.segments.get(key) != entry
        translation.segments[key] = entry
    if reviewed is not None:
        translation.reviewed = reviewed
    elif changed:
        translation.reviewed = False
    # Saving renews the page tree's generation (every cached page): not for
    # an import or a seed that changes nothing.
    if created or changed or translation.reviewed != was_reviewed:
        translation.save()
    return translation


def _rich_text_clean(html: str) -> str:
    """Only what the lesson editor allows (no script, no event attribute, no
    javascript: link): a translator's file is not trusted more than the CMS."""
    features = LessonBodyBlock.base_blocks["text"].features
    return EditorHTMLConverter(features=features).to_database_format(html)
