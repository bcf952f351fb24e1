"""The demo's sample translations (courses/demo_content/translations/<language>.json):
a course's outline and its lessons' titles, summaries, texts and key facts,
matched to the seeded pages by topic number and lesson slug (its test:
quizzes/demo_translations.py). Stored unreviewed: the pages label them
"sample translation, not checked by a translator"."""

import json
from pathlib import Path

from .demo import CONTENT_DIR, SeedCounts
from .models import CoursePage, LessonPage, PageTranslation
from .translation import content_languages, page_segments
from .translation_services import page_translation_save

TRANSLATIONS_DIR = CONTENT_DIR / "translations"


def _objective_texts(course: CoursePage, objectives: list[str]) -> dict[str, str]:
    keys = [k for k in page_segments(course) if k.startswith("objectives.")]
    return dict(zip(keys, objectives, strict=False))


def _text_texts(lesson: LessonPage, body: str) -> dict[str, str]:
    """The lesson's text block, the one its file writes (demo.py)."""
    return {
        f"body.{block.get('id')}": body
        for block in lesson.body.raw_data
        if block.get("type") == "text"
    }


def _key_facts_texts(lesson: LessonPage, key_facts: dict) -> dict[str, str]:
    texts = {}
    for block in lesson.body.raw_data:
        if block.get("type") != "key_facts":
            continue
        key = f"body.{block.get('id')}"
        texts[f"{key}.title"] = key_facts["title"]
        items = [k for k in page_segments(lesson) if k.startswith(f"{key}.items.")]
        texts.update(zip(items, key_facts["items"], strict=False))
    return texts


def demo_page_translation_save(
    *, page, language: str, texts: dict, counts: SeedCounts
) -> None:
    before = PageTranslation.objects.filter(page=page, language=language).first()
    after = page_translation_save(page=page, language=language, texts=texts)
    if before is None:
        counts.created += 1
    elif before.segments != after.segments:
        counts.updated += 1
    else:
        counts.unchanged += 1


def demo_translations_seed(translations_dir: Path = TRANSLATIONS_DIR) -> SeedCounts:
    counts = SeedCounts()
    for path in sorted(translations_dir.glob("*.json")):
        language = path.stem
        if language not in content_languages():
            continue
        definition = json.loads(path.read_text(encoding="utf-8"))
        for topic, course_text in definition["courses"].items():
            course = CoursePage.objects.filter(topic_number=int(topic)).first()
            if course is None:
                continue
            texts = {"title": course_text["title"], "summary": course_text["summary"]}
            texts |= _objective_texts(course, course_text.get("objectives", []))
            demo_page_translation_save(
                page=course, language=language, texts=texts, counts=counts
            )
            for slug, lesson_text in course_text.get("lessons", {}).items():
                lesson = LessonPage.objects.child_of(course).filter(slug=slug).first()
                if lesson is None:
                    continue
                texts = {k: lesson_text[k] for k in ("title", "summary")}
                if "body" in lesson_text:
                    texts |= _text_texts(lesson, lesson_text["body"])
                if "key_facts" in lesson_text:
                    texts |= _key_facts_texts(lesson, lesson_text["key_facts"])
                demo_page_translation_save(
                    page=lesson, language=language, texts=texts, counts=counts
                )
    return counts
