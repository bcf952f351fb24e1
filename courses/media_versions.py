"""A lesson's video or audio in the reader's language (issue 22).

A lesson places the Vietnamese media; a version in another language is a
LessonMedia of its own whose `translation_of` is that media. The reader of a
language gets its version once transcoded (READY), the Vietnamese otherwise,
with a notice. Watching either version counts toward the lesson: the watch
is recorded against the version watched, with its own duration, and the
lesson's required media counts as watched when any of its versions reached
90% (selectors.media_unwatched_list, course_completion_facts).
"""

from dataclasses import dataclass

from django.db.models import Q

from .models import LessonMedia, MediaStatus
from .page_cache import cached
from .translation import content_language, source_language


def _ready_versions() -> dict[int, dict[str, int]]:
    """Vietnamese media id → {language: id of its READY version}, kept under
    the page-tree generation (a media's save and the end of its transcoding
    replace it): read by every lesson page state, at no query."""

    def compute() -> dict[int, dict[str, int]]:
        versions: dict[int, dict[str, int]] = {}
        rows = LessonMedia.objects.filter(
            translation_of__isnull=False, status=MediaStatus.READY
        ).values_list("translation_of_id", "language", "id")
        for source_id, language, version_id in rows:
            versions.setdefault(source_id, {})[language] = version_id
        return versions

    return cached("media-versions", compute, in_process=True)


def version_ids(source_ids) -> list[int]:
    """The ids of the READY versions of these media, every language."""
    versions = _ready_versions()
    return [
        version_id
        for source_id in source_ids
        for version_id in versions.get(source_id, {}).values()
    ]


@dataclass(frozen=True)
class MediaInLanguage:
    media: LessonMedia  # the one to play
    language: str  # the reader's
    translated: bool  # a version in the reader's language is played

    @property
    def untranslated(self) -> bool:
        """The reader's language is not Vietnamese and has no version."""
        return self.language != source_language() and not self.translated


def media_in_language(media: LessonMedia, language: str | None) -> MediaInLanguage:
    language = content_language(language)
    if media is None or language == source_language():
        return MediaInLanguage(media=media, language=language, translated=False)
    version_id = _ready_versions().get(media.pk, {}).get(language)
    version = (
        LessonMedia.objects.filter(pk=version_id, status=MediaStatus.READY).first()
        if version_id
        else None
    )
    if version is None:
        return MediaInLanguage(media=media, language=language, translated=False)
    return MediaInLanguage(media=version, language=language, translated=True)


def watched_any_version(source_ref) -> Q:
    """A MediaWatch of the media at `source_ref` (an OuterRef to a Vietnamese
    media's id) or of any of its versions."""
    return Q(media=source_ref) | Q(media__translation_of=source_ref)
