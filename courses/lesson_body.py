"""The HTML of a lesson's body.

Rendering a StreamField (rich text rewritten link by link, image renditions
looked up) costs more than the rest of the lesson page. A body without video
or audio is the same for every learner, so it is kept under the page-tree
generation, which every edit replaces; a body with media carries the
learner's own resume position and is rendered each time.
"""

from django.template.loader import render_to_string
from django.utils import translation

from .models import LessonPage
from .page_cache import cached
from .selectors import lesson_media_flags

TEMPLATE = "courses/_lesson_body.html"


def lesson_body_html(*, lesson: LessonPage, media_positions: dict[int, float]) -> str:
    def render() -> str:
        return render_to_string(
            TEMPLATE, {"page": lesson, "media_positions": media_positions}
        )

    if lesson_media_flags(lesson=lesson):
        return render()
    language = translation.get_language()
    return cached(f"lesson-body:{lesson.pk}:{language}", render)
