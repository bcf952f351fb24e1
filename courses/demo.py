"""Demo catalogue built from the JSON files in demo_content/.

Idempotent: pages are found by slug and images by title; anything that
already exists is left as it is, because after the first run the content
belongs to the editors in the CMS.
"""

import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page

from .covers import cover_png
from .models import (
    Audience,
    CatalogPage,
    CoursePage,
    LessonPage,
    ProgrammeCourse,
    ProgrammePage,
)

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"

# From the Đồng Nai plan (section II): team members take all seven topics,
# citizens take topics 2, 4, 5 and 6.
PROGRAMMES = [
    {
        "slug": "to-cong-nghe-so-cong-dong",
        "title": "Tổ công nghệ số cộng đồng",
        "audience": Audience.TEAM,
        "summary": "Bảy chuyên đề dành cho thành viên Tổ công nghệ số cộng đồng ở thôn, "
        "ấp, khu phố, để tự tin hướng dẫn người dân sử dụng công nghệ số.",
        "topics": [1, 2, 3, 4, 5, 6, 7],
    },
    {
        "slug": "nguoi-dan",
        "title": "Người dân",
        "audience": Audience.CITIZEN,
        "summary": "Bốn chuyên đề thiết thực cho mọi người dân: kỹ năng số cơ bản, trí tuệ "
        "nhân tạo, dịch vụ công trực tuyến và bảo vệ thông tin cá nhân.",
        "topics": [2, 4, 5, 6],
    },
]


@dataclass
class SeedCounts:
    created: int = 0
    existing: int = 0


def course_definitions_load(content_dir: Path = CONTENT_DIR) -> list[dict]:
    files = sorted(content_dir.glob("topic-*.json"))
    return sorted(
        (json.loads(f.read_text(encoding="utf-8")) for f in files),
        key=lambda d: d["topic"],
    )


def _lesson_body(lesson: dict) -> str:
    blocks = [{"type": "text", "value": lesson["body"]}]
    if lesson.get("key_facts"):
        blocks.append({"type": "key_facts", "value": lesson["key_facts"]})
    blocks.append({"type": "sources", "value": {"items": lesson["sources"]}})
    return json.dumps(blocks, ensure_ascii=False)


def _child(parent: Page, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _cover_image(course: dict, counts: SeedCounts):
    image_model = get_image_model()
    title = f"Ảnh bìa chuyên đề {course['topic']}"
    image = image_model.objects.filter(title=title).first()
    if image:
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


def course_create(
    *, catalog: CatalogPage, course: dict, counts: SeedCounts
) -> CoursePage:
    """Create one course and its lessons from a definition, unless it exists."""
    page = _child(catalog, CoursePage, course["slug"])
    if page is None:
        page = _publish(
            catalog,
            CoursePage(
                title=course["title"],
                slug=course["slug"],
                topic_number=course["topic"],
                audience=course["audience"],
                summary=course["summary"],
                estimated_minutes=course["estimated_minutes"],
                objectives=json.dumps(
                    [{"type": "objective", "value": o} for o in course["objectives"]],
                    ensure_ascii=False,
                ),
                lessons_in_order=course.get("lessons_in_order", True),
                cover_image=_cover_image(course, counts)
                if course.get("cover")
                else None,
            ),
        )
        counts.created += 1
    else:
        counts.existing += 1
    for lesson in course["lessons"]:
        if _child(page, LessonPage, lesson["slug"]):
            counts.existing += 1
            continue
        _publish(
            page,
            LessonPage(
                title=lesson["title"],
                slug=lesson["slug"],
                summary=lesson.get("summary", ""),
                estimated_minutes=lesson.get("estimated_minutes", 10),
                body=_lesson_body(lesson),
            ),
        )
        counts.created += 1
    return page


@transaction.atomic
def demo_catalog_seed(*, home: Page, courses: list[dict]) -> SeedCounts:
    counts = SeedCounts()
    catalog = _child(home, CatalogPage, "khoa-hoc")
    if catalog is None:
        catalog = _publish(
            home,
            CatalogPage(
                title="Danh mục khóa học",
                slug="khoa-hoc",
                intro="<p>Các chuyên đề phổ cập kỹ năng số của phong trào "
                "“Bình dân học vụ số”. Học miễn phí, trên điện thoại, "
                "mỗi bài chỉ vài phút.</p>",
            ),
        )
        counts.created += 1
    by_topic = {
        c["topic"]: course_create(catalog=catalog, course=c, counts=counts)
        for c in courses
    }
    for programme in PROGRAMMES:
        if _child(catalog, ProgrammePage, programme["slug"]):
            counts.existing += 1
            continue
        page = ProgrammePage(
            title=programme["title"],
            slug=programme["slug"],
            audience=programme["audience"],
            summary=programme["summary"],
        )
        page.programme_courses = [
            ProgrammeCourse(course=by_topic[t], sort_order=i)
            for i, t in enumerate(programme["topics"])
            if t in by_topic
        ]
        _publish(catalog, page)
        counts.created += 1
    return counts
