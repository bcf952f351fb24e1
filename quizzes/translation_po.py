"""A translator's file: a course's text (its pages and its test questions)
exported to PO and imported back (docs/translations.md).

Each entry's msgctxt names what it translates ("page:<id>:<segment key>",
"question:<id>:text", "question:<id>:choice:<n>", "question:<id>:explanation")
and its msgid is the Vietnamese at export. A translation whose Vietnamese has
changed since is exported "fuzzy" with the old msgstr, and an entry whose
msgid is no longer the Vietnamese is not imported: it translates an old text.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import polib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.models import CoursePage, PageTranslation
from courses.translation import KeptTranslation, current_texts, page_segments
from courses.translation_services import page_translation_save

from .bank import question_source_hash
from .models import Question
from .translation import question_translation_save

PO_MAX_BYTES = 2 * 1024 * 1024
COURSE_HEADER = "X-Hocvuso-Course"


def _course_pages(course: CoursePage) -> list[Page]:
    return [course, *Page.objects.descendant_of(course).order_by("path").specific()]


def _questions(course: CoursePage):
    return list(
        Question.objects.filter(course=course)
        .prefetch_related("choices", "translations")
        .order_by("pk")
    )


def _question_sources(question) -> dict[str, str]:
    sources = {"text": question.text}
    for n, choice in enumerate(question.choices.order_by("sort_order", "pk")):
        sources[f"choice:{n}"] = choice.text
    if question.explanation:
        sources["explanation"] = question.explanation
    return sources


def _question_translation(question, language: str):
    """From the prefetched translations (_questions), without a query."""
    return next(
        (t for t in question.translations.all() if t.language == language), None
    )


TRANSLATED, STALE, MISSING = "translated", "stale", "missing"


@dataclass(frozen=True)
class EntryState:
    """One entry of the course's PO file and where its translation stands."""

    kind: str  # "page" or "question"
    owner_id: int  # the page's or question's id
    where: str  # the page's or question's Vietnamese title
    key: str
    state: str  # TRANSLATED, STALE or MISSING


def _entry_states(*, course: CoursePage, language: str) -> list[EntryState]:
    """Every entry the export writes, in its order: translated and current,
    translated from a Vietnamese that has changed since, or not translated."""
    pages = _course_pages(course)
    kept = {
        row.page_id: row
        for row in PageTranslation.objects.filter(
            language=language, page__in=[p.pk for p in pages]
        )
    }
    states = []
    for page in pages:
        row = kept.get(page.pk)
        texts, _missing, stale = current_texts(page, _kept(row) if row else None)
        for key in page_segments(page):
            state = TRANSLATED if key in texts else STALE if key in stale else MISSING
            states.append(EntryState("page", page.pk, page.title, key, state))
    for question in _questions(course):
        sources = _question_sources(question)
        row = _question_translation(question, language)
        current = row is not None and row.source_hash == question_source_hash(
            text=question.text,
            choices=[v for k, v in sources.items() if k.startswith("choice:")],
            explanation=question.explanation,
        )
        for key in sources:
            if row is None or (key == "explanation" and not row.explanation):
                state = MISSING
            else:
                state = TRANSLATED if current else STALE
            states.append(
                EntryState("question", question.pk, question.text[:80], key, state)
            )
    return states


@dataclass(frozen=True)
class StaleSegment:
    where: str  # the page's or question's Vietnamese title
    key: str


def stale_segments(*, course: CoursePage, language: str) -> list[StaleSegment]:
    """What was translated before the Vietnamese changed: a page's segments,
    a question as a whole (its translation is renewed as a whole)."""
    stale, questions = [], set()
    for entry in _entry_states(course=course, language=language):
        if entry.state != STALE or entry.owner_id in questions:
            continue
        if entry.kind == "question":
            questions.add(entry.owner_id)
            stale.append(StaleSegment(where=entry.where, key="question"))
        else:
            stale.append(StaleSegment(where=entry.where, key=entry.key))
    return stale


@dataclass(frozen=True)
class TranslationCounts:
    translated: int
    stale: int
    missing: int


def translation_counts(*, course: CoursePage, language: str) -> TranslationCounts:
    """How many of the course's entries are translated, need translating
    again after an edit, or are not translated."""
    states = [e.state for e in _entry_states(course=course, language=language)]
    return TranslationCounts(
        translated=states.count(TRANSLATED),
        stale=states.count(STALE),
        missing=states.count(MISSING),
    )


def _kept(row):
    return KeptTranslation(
        segments={k: (v["source_hash"], v["text"]) for k, v in row.segments.items()},
        reviewed=row.reviewed,
    )


def course_po_export(*, course: CoursePage, language: str) -> bytes:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"hocvuso course {course.pk}",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
        "POT-Creation-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
        COURSE_HEADER: str(course.pk),
    }
    kept = {
        row.page_id: row
        for row in PageTranslation.objects.filter(
            language=language, page__path__startswith=course.path
        )
    }
    for page in _course_pages(course):
        row = kept.get(page.pk)
        texts, _missing, stale = current_texts(page, _kept(row) if row else None)
        for key, source in page_segments(page).items():
            entry = polib.POEntry(
                msgctxt=f"page:{page.pk}:{key}",
                msgid=source,
                msgstr=texts.get(key, ""),
                comment=page.title if key == "title" else "",
            )
            if key in stale:
                entry.msgstr = row.segments[key]["text"]
                entry.flags.append("fuzzy")
            po.append(entry)
    for question in _questions(course):
        sources = _question_sources(question)
        row = _question_translation(question, language)
        translated = {}
        fuzzy = False
        if row is not None:
            translated = {"text": row.text, "explanation": row.explanation}
            translated |= {f"choice:{n}": text for n, text in enumerate(row.choices)}
            fuzzy = row.source_hash != question_source_hash(
                text=question.text,
                choices=[v for k, v in sources.items() if k.startswith("choice:")],
                explanation=question.explanation,
            )
        for key, source in sources.items():
            entry = polib.POEntry(
                msgctxt=f"question:{question.pk}:{key}",
                msgid=source,
                msgstr=translated.get(key, ""),
            )
            if fuzzy and entry.msgstr:
                entry.flags.append("fuzzy")
            po.append(entry)
    return str(po).encode()


@dataclass
class ImportReport:
    """What an import did, counted in the file's entries."""

    created: int = 0  # translated for the first time
    updated: int = 0  # a new text, or the same text for a changed Vietnamese
    unchanged: int = 0
    skipped_old: list[str] = field(default_factory=list)  # msgid no longer current

    @property
    def translated(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def rejected(self) -> int:
        return len(self.skipped_old)

    def count(self, *, before: dict, after: dict, keys) -> None:
        """Tally `keys` by comparing each one's stored value before and after."""
        for key in keys:
            if after.get(key) == before.get(key):
                self.unchanged += 1
            elif key in before:
                self.updated += 1
            else:
                self.created += 1


def _question_values(row) -> dict[str, tuple[str, str]]:
    """A question's stored translation by entry key, each with the hash of
    the Vietnamese it translates (a renewed stale entry counts as updated)."""
    values = {"text": row.text, "explanation": row.explanation}
    values |= {f"choice:{n}": text for n, text in enumerate(row.choices)}
    return {k: (v, row.source_hash) for k, v in values.items() if v}


def _refuse(message: str, **params):
    raise ValidationError(message, params=params)


def _parse(data: bytes) -> polib.POFile:
    if len(data) > PO_MAX_BYTES:
        _refuse(_("Tệp lớn quá 2 MB."))
    if b"\0" in data:
        _refuse(_("Tệp không phải tệp PO (chứa ký tự NUL)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(_("Tệp không phải tệp PO mã UTF-8."))
    try:
        # The newline first: polib reads a string naming an existing file
        # from the disk instead of parsing it.
        return polib.pofile("\n" + text, wrapwidth=0)
    except (OSError, ValueError):
        _refuse(_("Tệp không phải tệp PO hợp lệ."))


def course_po_import(
    *, course: CoursePage, language: str, data: bytes, reviewed: bool | None = None
) -> ImportReport:
    """All or nothing: a bad entry refuses the whole file with its message."""
    po = _parse(data)
    if COURSE_HEADER not in po.metadata:
        _refuse(_("Tệp không phải tệp dịch xuất từ nền tảng này."))
    if po.metadata.get(COURSE_HEADER) != str(course.pk):
        _refuse(_("Tệp này là bản dịch của một khóa học khác."))
    if po.metadata.get("Language", "") != language:
        _refuse(_("Tệp này là bản dịch sang ngôn ngữ khác."))
    pages = {page.pk: page for page in _course_pages(course)}
    questions = {q.pk: q for q in _questions(course)}
    page_texts: dict[int, dict[str, str]] = defaultdict(dict)
    question_texts: dict[int, dict[str, str]] = defaultdict(dict)
    report = ImportReport()
    for entry in po:
        if not entry.msgstr or "fuzzy" in entry.flags or entry.obsolete:
            continue
        kind, _sep, rest = (entry.msgctxt or "").partition(":")
        ident, _sep, key = rest.partition(":")
        if kind == "page" and ident.isdigit() and int(ident) in pages:
            sources = page_segments(pages[int(ident)])
            target = page_texts[int(ident)]
        elif kind == "question" and ident.isdigit() and int(ident) in questions:
            sources = _question_sources(questions[int(ident)])
            target = question_texts[int(ident)]
        else:
            _refuse(
                _("Mục “%(context)s” không thuộc khóa học này."),
                context=(entry.msgctxt or "")[:80],
            )
        if key not in sources:
            _refuse(
                _("Mục “%(context)s” không có trong khóa học."),
                context=entry.msgctxt[:80],
            )
        if entry.msgid != sources[key]:
            report.skipped_old.append(entry.msgctxt)
            continue
        target[key] = entry.msgstr
    with transaction.atomic():
        kept = {
            row.page_id: dict(row.segments)
            for row in PageTranslation.objects.filter(
                language=language, page__in=list(page_texts)
            )
        }
        for page_id, texts in page_texts.items():
            saved = page_translation_save(
                page=pages[page_id], language=language, texts=texts, reviewed=reviewed
            )
            report.count(before=kept.get(page_id, {}), after=saved.segments, keys=texts)
        for question_id, texts in question_texts.items():
            question = questions[question_id]
            sources = _question_sources(question)
            choices = [texts.get(k) for k in sources if k.startswith("choice:")]
            if "text" not in texts or None in choices:
                _refuse(
                    _("Câu hỏi “%(question)s”: hãy dịch câu hỏi và mọi đáp án."),
                    question=question.text[:80],
                )
            row = _question_translation(question, language)
            before = _question_values(row) if row is not None else {}
            saved = question_translation_save(
                question=question,
                language=language,
                text=texts["text"],
                choices=choices,
                explanation=texts.get("explanation", ""),
                reviewed=bool(reviewed),
            )
            report.count(before=before, after=_question_values(saved), keys=texts)
    return report
