"""The personal part of a public page, in one small request.

A page cached for every reader (core.public_pages) carries no name, no
progress, no message and no form token. Its script (static/hocvuso/page_state.js)
asks `GET /api/me/state?page=<id>` and gets:

- `parts`: HTML for the page's `data-state-part` places — the header's links,
  the messages waiting for this reader, the logout button, and whatever the
  page adds through its `personal_state(request)` (a lesson: progress and the
  "Hoàn thành bài học" button);
- `csrf`: the form token for the page's forms, when the reader has no
  csrftoken cookie yet (null otherwise: the script uses the cookie's value);
- `redirect`: where the reader must go instead (consent, the place step, a
  course not enrolled in), as the page itself used to redirect;
- `data`: values for the page's scripts (a video's resume position).
"""

from django.contrib.messages import get_messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from courses.course_sites import page_on_site, request_site_id
from courses.page_cache import live_page

from .fragments import fragment_html


def _page_id(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _nav_key(user) -> tuple:
    """What the header's links depend on (includes/nav.html)."""
    if not user.is_authenticated:
        return (False,)
    return (
        True,
        user.led_team_id,
        user.is_superuser or user.administers_units,
        user.edits_content,
    )


@require_GET
def page_state(request):
    page_id = _page_id(request.GET.get("page", ""))
    page = live_page(page_id) if page_id else None
    if page is not None and not page_on_site(page, request_site_id(request)):
        # A province's own course read from another site: as its page.
        return JsonResponse({"detail": "Not found"}, status=404)
    return JsonResponse(page_state_answer(request, page))


def page_state_answer(request, page) -> dict:
    """The state of `page` (None: only the header's) for this request's
    reader; also sent with the answer to "Hoàn thành bài học" for the page
    it leads to (courses.views.lesson_mark_done)."""
    state = {}
    if page is not None and hasattr(page, "personal_state"):
        state = page.personal_state(request)
    user = request.user
    parts = {
        "nav": fragment_html(
            "includes/nav.html",
            key=_nav_key(user),
            context={"user": user},
        ),
        "logout": fragment_html(
            "includes/logout.html",
            key=(user.is_authenticated,),
            context={"user": user},
        ),
        **state.get("parts", {}),
    }
    messages = get_messages(request)
    if messages and not state.get("redirect"):
        # Shown here, not after the redirect: the next page shows them.
        parts["messages"] = render_to_string(
            "includes/messages.html", {"messages": messages}
        )
    return {
        # page_state.js puts the csrftoken cookie's value in the forms; a
        # masked copy (32 random draws, a tenth of this answer's CPU) is
        # sent only to a reader who has no cookie yet.
        "csrf": None if "CSRF_COOKIE" in request.META else get_token(request),
        "parts": parts,
        "redirect": state.get("redirect"),
        "data": state.get("data", {}),
    }
