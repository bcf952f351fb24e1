"""Demo catalogue built from the JSON files in demo_content/.

Pages are found by slug. A new edition of the files is loaded over the old
one in place: a course or lesson whose content differs gets a new published
revision, so learners' progress (kept per page) stays; lessons the edition
no longer lists are unpublished, not deleted; new ones are added. Seeding
the same edition twice changes nothing. Images are found by title.
"""

import io
import json
from dataclasses import dataclass, fields
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page

from .covers import cover_png
from .models import (
    CatalogPage,
    CoursePage,
    GlossaryPage,
    LessonPage,
    ProgrammeCourse,
    ProgrammePage,
)

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
PROGRAMMES_FILE = "programmes.json"
GLOSSARY_FILE = "glossary.json"


@dataclass
class SeedCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0

    def add(self, other: "SeedCounts") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def course_definitions_load(content_dir: Path = CONTENT_DIR) -> list[dict]:
    files = sorted(content_dir.glob("topic-*.json"))
    return sorted(
        (json.loads(f.read_text(encoding="utf-8")) for f in files),
        key=lambda d: d["topic"],
    )


def programme_definitions_load(content_dir: Path = CONTENT_DIR) -> list[dict]:
    return json.loads((content_dir / PROGRAMMES_FILE).read_text(encoding="utf-8"))[
        "programmes"
    ]


def _lesson_body(lesson: dict) -> list[dict]:
    blocks = [{"type": "text", "value": lesson["body"]}]
    if lesson.get("key_facts"):
        blocks.append({"type": "key_facts", "value": lesson["key_facts"]})
    blocks.append({"type": "sources", "value": {"items": lesson["sources"]}})
    return blocks


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _stream(field, raw: list[dict]):
    """A StreamField's content in one comparable shape, whichever way it was
    written (a stored page, or blocks from a file)."""
    block = field.stream_block
    return _without_ids(block.get_prep_value(block.to_python(raw)))


def _objectives(course: dict) -> list[dict]:
    return [{"type": "objective", "value": o} for o in course["objectives"]]


def _course_fields(course: dict) -> dict:
    return {
        "title": course["title"],
        "topic_number": course["topic"],
        "audience": course["audience"],
        "summary": course["summary"],
        "estimated_minutes": course["estimated_minutes"],
        "lessons_in_order": course.get("lessons_in_order", True),
        "objectives": _objectives(course),
    }


# The lesson blocks the files write. Others on a page (the demo video and
# audio, an editor's figure) are kept, in front as demo_media puts them.
FILE_BLOCKS = {"text", "key_facts", "sources"}


def _lesson_fields(lesson: dict, page: LessonPage | None) -> dict:
    kept = [
        {"type": b["type"], "value": b["value"]}
        for b in (page.body.raw_data if page else [])
        if b["type"] not in FILE_BLOCKS
    ]
    return {
        "title": lesson["title"],
        "summary": lesson.get("summary", ""),
        "estimated_minutes": lesson.get("estimated_minutes", 10),
        "body": kept + _lesson_body(lesson),
    }


def _differs(page: Page, wanted: dict) -> bool:
    for name, value in wanted.items():
        current = getattr(page, name)
        if hasattr(current, "raw_data"):
            field = page._meta.get_field(name)
            if _stream(field, list(current.raw_data)) != _stream(field, value):
                return True
        elif current != value:
            return True
    return False


def _page_sync(
    *, parent: Page, model, slug: str, wanted, counts: SeedCounts, **extra
) -> Page:
    """Create the page, or publish a new revision if its content differs.
    wanted is the fields, or a function of the existing page (or None)
    giving them."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if callable(wanted):
        wanted = wanted(page)
    if page is None:
        page = model(slug=slug, **extra, **wanted)
        parent.add_child(instance=page)
        page.save_revision().publish()
        counts.created += 1
    elif _differs(page, wanted) or not page.live:
        for name, value in wanted.items():
            setattr(page, name, value)
        page.save_revision().publish()
        counts.updated += 1
    else:
        counts.unchanged += 1
    return page


def _cover_image(course: dict, counts: SeedCounts):
    image_model = get_image_model()
    title = f"Ảnh bìa chuyên đề {course['topic']}"
    image = image_model.objects.filter(title=title).first()
    if image:
        counts.unchanged += 1
        return image
    data = cover_png(
        topic=course["topic"],
        title=course["title"],
        label=course["cover"]["icon_text"],
        color=course["cover"]["color"],
    )
    image = image_model(title=title)
    image.file = ImageFile(io.BytesIO(data), name=f"chuyen-de-{course['topic']}.png")
    image.save()
    counts.created += 1
    return image


def _children_order(*, parent: Page, slugs: list[str]) -> None:
    """Put the listed children first, in that order; others keep theirs."""
    children = list(parent.get_children().order_by("path"))
    by_slug = {c.slug: c for c in children}
    wanted = [by_slug[s] for s in slugs if s in by_slug]
    rest = [c for c in children if c.slug not in slugs]
    if [c.pk for c in children] == [c.pk for c in wanted + rest]:
        return
    for child in wanted + rest:
        child.move(parent, pos="last-child")


def course_create(
    *, catalog: CatalogPage, course: dict, counts: SeedCounts
) -> CoursePage:
    """Bring one course and its lessons to the edition in the definition."""
    extra = {}
    # The cover is looked up on every run, so that a re-run counts it as
    # unchanged and reports the same total as the run that drew it.
    cover = _cover_image(course, counts) if course.get("cover") else None
    if not CoursePage.objects.child_of(catalog).filter(slug=course["slug"]).exists():
        extra["cover_image"] = cover
    page = _page_sync(
        parent=catalog,
        model=CoursePage,
        slug=course["slug"],
        wanted=_course_fields(course),
        counts=counts,
        **extra,
    )
    slugs = [lesson["slug"] for lesson in course["lessons"]]
    for lesson in course["lessons"]:
        _page_sync(
            parent=page,
            model=LessonPage,
            slug=lesson["slug"],
            wanted=lambda page, lesson=lesson: _lesson_fields(lesson, page),
            counts=counts,
        )
    for dropped in LessonPage.objects.child_of(page).live().exclude(slug__in=slugs):
        # Unpublished, not deleted: learners' progress on it is kept.
        dropped.unpublish()
        counts.retired += 1
    _children_order(parent=page, slugs=slugs)
    return page


def programme_sync(
    *, catalog: CatalogPage, programme: dict, by_topic: dict, counts: SeedCounts
) -> ProgrammePage:
    page = (
        ProgrammePage.objects.child_of(catalog).filter(slug=programme["slug"]).first()
    )
    topics = [t for t in programme["topics"] if t in by_topic]
    wanted = {
        "title": programme["title"],
        "audience": programme["audience"],
        "summary": programme["summary"],
    }
    if page is not None:
        current = [pc.course_id for pc in page.programme_courses.order_by("sort_order")]
        if not _differs(page, wanted) and current == [by_topic[t].pk for t in topics]:
            counts.unchanged += 1
            return page
    if page is None:
        page = ProgrammePage(slug=programme["slug"], **wanted)
        catalog.add_child(instance=page)
        counts.created += 1
    else:
        for name, value in wanted.items():
            setattr(page, name, value)
        counts.updated += 1
    page.programme_courses = [
        ProgrammeCourse(course=by_topic[t], sort_order=i) for i, t in enumerate(topics)
    ]
    page.save()
    page.save_revision().publish()
    return page


@transaction.atomic
def demo_catalog_seed(
    *, home: Page, courses: list[dict], programmes: list[dict] | None = None
) -> SeedCounts:
    counts = SeedCounts()
    catalog = CatalogPage.objects.child_of(home).filter(slug="khoa-hoc").first()
    if catalog is None:
        catalog = CatalogPage(
            title="Danh mục khóa học",
            slug="khoa-hoc",
            intro="<p>Các chuyên đề phổ cập kỹ năng số của phong trào "
            "“Bình dân học vụ số”. Học miễn phí, trên điện thoại, "
            "mỗi bài chỉ vài phút.</p>",
        )
        home.add_child(instance=catalog)
        catalog.save_revision().publish()
        counts.created += 1
    else:
        counts.unchanged += 1
    by_topic = {
        c["topic"]: course_create(catalog=catalog, course=c, counts=counts)
        for c in courses
    }
    if programmes is None:
        programmes = programme_definitions_load()
    for programme in programmes:
        programme_sync(
            catalog=catalog, programme=programme, by_topic=by_topic, counts=counts
        )
    return counts


def demo_glossary_seed(
    *, catalog: CatalogPage, content_dir: Path = CONTENT_DIR
) -> SeedCounts:
    """The glossary page, from glossary.json, brought to that file's edition."""
    glossary = json.loads((content_dir / GLOSSARY_FILE).read_text(encoding="utf-8"))
    counts = SeedCounts()
    _page_sync(
        parent=catalog,
        model=GlossaryPage,
        slug=glossary["slug"],
        wanted={
            "title": glossary["title"],
            "intro": glossary["intro"],
            "terms": [{"type": "term", "value": t} for t in glossary["terms"]],
        },
        counts=counts,
    )
    return counts
