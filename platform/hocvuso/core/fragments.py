"""Small HTML pieces of the page state, rendered once per process and kept.

The page state (core.page_state) is asked for on every view of a shared page,
and rendering its few templates cost about as much as its queries. Each piece
depends only on a handful of values (the header's links on three of the
user's flags, a lesson's buttons on "done" and the next lesson's address),
which the caller names as the key, with the language. No piece holds a form
token: forms take it from the cookie when sent (static/hocvuso/page_state.js).
Templates change only with a deploy, which starts new processes.
"""

from django.template.loader import render_to_string
from django.utils import translation

_KEPT: dict[tuple, str] = {}
_KEPT_MAX = 4096  # pieces × languages: a few kilobytes each at most


def fragment_html(template: str, *, key: tuple, context: dict) -> str:
    kept_as = (template, translation.get_language(), key)
    html = _KEPT.get(kept_as)
    if html is None:
        if len(_KEPT) >= _KEPT_MAX:
            _KEPT.clear()
        html = render_to_string(template, {**context, "public_page": True})
        _KEPT[kept_as] = html
    return html
