"""Content translations of pages (issue 22, part 2).

A translation is laid over its Vietnamese page (`PageTranslation`), never a
page of its own: the learner's enrolment, progress, tests and completion stay
those of the one course whatever language it is read in.

A page's translatable text is cut into segments, each under a stable key
("title", "summary", "body.<block id>", "body.<block id>.caption" …). Each
translated segment keeps the hash of the Vietnamese it was translated from;
after an edit of the Vietnamese the hash no longer matches and the segment is
stale: the reader sees the Vietnamese of that segment (a translation of an
older text could state what is no longer true) and the translator's list of
stale segments names it.
"""

import copy
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from .page_cache import cached

# What a reader is shown of a page in a language.
SOURCE = "source"  # the language is Vietnamese
MISSING = "missing"  # no translation: the Vietnamese
PARTIAL = "partial"  # some segments missing or stale: those in Vietnamese
COMPLETE = "complete"


def source_language() -> str:
    return settings.LANGUAGE_CODE


def content_languages() -> list[str]:
    """Languages a page may be translated into: every language of the site
    but the source."""
    return [code for code, _name in settings.LANGUAGES if code != source_language()]


def content_language(code: str | None) -> str:
    """`code` if pages may be read in it, else the source language."""
    code = (code or "").split("-")[0].lower()
    return code if code in content_languages() else source_language()


def reader_language() -> str:
    return content_language(translation.get_language())


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# Segments of a page's text --------------------------------------------------

_PAGE_FIELDS = {
    "coursepage": ("title", "summary"),
    "lessonpage": ("title", "summary"),
    "quizpage": ("title", "intro"),
}


def is_rich_text(key: str) -> bool:
    """A lesson's text block (HTML), not plain text."""
    return key.startswith("body.") and key.count(".") == 1


def _item(key: str, index: int, item) -> tuple[str, str]:
    """A list item's key and text: by its block id, or by its place in a
    list stored before Wagtail gave items ids."""
    if isinstance(item, dict):
        return f"{key}.items.{item.get('id')}", item.get("value") or ""
    return f"{key}.items.{index}", item if isinstance(item, str) else ""


def _body_segments(raw: list) -> dict[str, str]:
    segments = {}
    for block in raw:
        key, value = f"body.{block.get('id')}", block.get("value")
        kind = block.get("type")
        if kind == "text" and isinstance(value, str):
            segments[key] = value
        elif kind == "figure" and isinstance(value, dict):
            for name in ("alt", "caption"):
                if value.get(name):
                    segments[f"{key}.{name}"] = value[name]
        elif kind == "document" and isinstance(value, dict) and value.get("title"):
            segments[f"{key}.title"] = value["title"]
        elif kind == "key_facts" and isinstance(value, dict):
            if value.get("title"):
                segments[f"{key}.title"] = value["title"]
            for index, item in enumerate(value.get("items") or []):
                item_key, text = _item(key, index, item)
                if text:
                    segments[item_key] = text
    return segments


def page_segments(page) -> dict[str, str]:
    """The page's translatable Vietnamese text, segment key → text, in the
    order a reader meets it."""
    segments = {}
    for name in _PAGE_FIELDS.get(type(page)._meta.model_name, ("title",)):
        value = getattr(page, name, "")
        if value:
            segments[name] = value
    objectives = getattr(page, "objectives", None)
    if objectives is not None:
        for block in objectives.raw_data:
            if block.get("value"):
                segments[f"objectives.{block.get('id')}"] = block["value"]
    body = getattr(page, "body", None)
    if body is not None:
        segments.update(_body_segments(list(body.raw_data)))
    return segments


def _body_translated(raw: list, texts: dict[str, str]) -> list:
    raw = copy.deepcopy(raw)
    for block in raw:
        key, value = f"body.{block.get('id')}", block.get("value")
        if block.get("type") == "text" and key in texts:
            block["value"] = texts[key]
        elif isinstance(value, dict):
            for name in ("alt", "caption", "title"):
                if f"{key}.{name}" in texts:
                    value[name] = texts[f"{key}.{name}"]
            items = value.get("items") or []
            for index, item in enumerate(items):
                item_key, _text = _item(key, index, item)
                if item_key in texts and isinstance(item, dict):
                    item["value"] = texts[item_key]
                elif item_key in texts:
                    items[index] = texts[item_key]
    return raw


# What a reader sees -----------------------------------------------------------


@dataclass(frozen=True)
class KeptTranslation:
    """A translation as read from the database: segment → (source hash, text)."""

    segments: dict[str, tuple[str, str]]
    reviewed: bool


def _translations(language: str) -> dict[int, KeptTranslation]:
    """Every page's translation into `language`, kept under the page-tree
    generation (a translation's save replaces it, page_cache)."""

    def compute() -> dict[int, KeptTranslation]:
        from .models import PageTranslation

        kept = {}
        for row in PageTranslation.objects.filter(language=language):
            kept[row.page_id] = KeptTranslation(
                segments={
                    key: (value["source_hash"], value["text"])
                    for key, value in row.segments.items()
                },
                reviewed=row.reviewed,
            )
        return kept

    return cached(f"translations:{language}", compute, in_process=True)


@dataclass(frozen=True)
class PageInLanguage:
    page: object  # the page to render: the Vietnamese one or a translated copy
    language: str
    status: str
    reviewed: bool = False

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def is_sample(self) -> bool:
        """Shown translated but not checked by a translator."""
        return self.status in (PARTIAL, COMPLETE) and not self.reviewed


def current_texts(page, kept: KeptTranslation | None) -> tuple[dict, list, list]:
    """(translated texts still matching the Vietnamese, missing keys, stale keys)."""
    texts, missing, stale = {}, [], []
    for key, source in page_segments(page).items():
        got = kept.segments.get(key) if kept else None
        if got is None:
            missing.append(key)
        elif got[0] != source_hash(source):
            stale.append(key)
        else:
            texts[key] = got[1]
    return texts, missing, stale


def page_in_language(page, language: str | None = None) -> PageInLanguage:
    """The page as a reader of `language` (default: the active one) sees it."""
    language = content_language(language or translation.get_language())
    if language == source_language():
        return PageInLanguage(page=page, language=language, status=SOURCE)
    kept = _translations(language).get(page.pk)
    if kept is None:
        return PageInLanguage(page=page, language=language, status=MISSING)
    texts, missing, stale = current_texts(page, kept)
    if not texts:
        return PageInLanguage(page=page, language=language, status=MISSING)
    # A copy: the page object is shared by every request (page_cache).
    shown = copy.copy(page)
    for name in ("title", "summary", "intro"):
        if name in texts:
            setattr(shown, name, texts[name])
    objectives = getattr(page, "objectives", None)
    if objectives is not None:
        raw = copy.deepcopy(list(objectives.raw_data))
        for block in raw:
            block["value"] = texts.get(f"objectives.{block.get('id')}", block["value"])
        shown.objectives = raw
    body = getattr(page, "body", None)
    if body is not None:
        shown.body = _body_translated(list(body.raw_data), texts)
    return PageInLanguage(
        page=shown,
        language=language,
        status=PARTIAL if missing or stale else COMPLETE,
        reviewed=kept.reviewed,
    )


def title_in_language(page, language: str | None = None) -> str:
    """The page's title in `language` when translated and current, else the
    Vietnamese: course outlines, catalogue cards, certificates."""
    language = content_language(language or translation.get_language())
    if language == source_language():
        return page.title
    kept = _translations(language).get(page.pk)
    got = kept.segments.get("title") if kept else None
    if got is None or got[0] != source_hash(page.title):
        return page.title
    return got[1]
