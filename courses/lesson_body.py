"""The HTML of a lesson's body.

Rendering a StreamField (rich text rewritten link by link, image renditions
looked up) costs more than the rest of the lesson page. The body is the same
for every reader (a video's resume position comes with the page state), so it
is kept under the page-tree generation, which every edit replaces.
"""

from django.template.loader import render_to_string
from django.utils import translation

from .models import LessonPage
from .page_cache import cached

TEMPLATE = "courses/_lesson_body.html"


def lesson_body_html(*, lesson: LessonPage) -> str:
    language = translation.get_language()
    return cached(
        f"lesson-body:{lesson.pk}:{language}",
        lambda: render_to_string(TEMPLATE, {"page": lesson}),
    )
