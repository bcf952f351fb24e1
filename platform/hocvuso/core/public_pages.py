"""Pages that are the same for every reader, cached whole in front of Django.

A lesson, a course outline or the catalogue reads the same to everyone
(issue 17): what is personal — progress, "done", the header's links, messages,
the form token — comes from one small request after the page has loaded
(`core/page_state.py`, `static/hocvuso/page_state.js`). Such a page is then
served by nginx's cache here and by any CDN in front of a national
deployment, and Django renders it once per cache period instead of once per
reader.

A view says "this response is public" with `public_response`; the middleware
then makes it cacheable, provided nothing personal slipped in: a response that
sets a cookie (a session, a message, a form token) is left private. The
cached copy depends on the path, the language cookie and the large-text
cookie only (nginx's cache key, `deploy/nginx/hocvuso.conf`), so a public page
must read nothing else of the request (no query string, no user).
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

PUBLIC_ATTRIBUTE = "hocvuso_public"


def public_response(response):
    setattr(response, PUBLIC_ATTRIBUTE, True)
    return response


def _without_cookie_in_vary(response) -> None:
    """Reading the session to learn that nobody is logged in (a middleware
    does, on every request) adds "Vary: Cookie"; the public page's content
    does not depend on it, and with it every logged-in reader would miss."""
    vary = [
        part.strip()
        for part in response.headers.get("Vary", "").split(",")
        if part.strip() and part.strip().lower() != "cookie"
    ]
    if vary:
        response.headers["Vary"] = ", ".join(vary)
    elif "Vary" in response.headers:
        del response.headers["Vary"]


class PublicPageMiddleware:
    """Outside the session, CSRF and message middlewares, so it sees what
    they added to the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(response, PUBLIC_ATTRIBUTE, False):
            return response
        if response.cookies or response.status_code != 200:
            patch_cache_control(response, private=True)
            return response
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        _without_cookie_in_vary(response)
        # Browsers ask again each time (the page is cheap to revalidate at the
        # cache, and the back button still shows the learner's new progress);
        # shared caches keep it for `seconds`. X-Accel-Expires is nginx's own,
        # and nginx does not pass it on.
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
        response.headers["X-Accel-Expires"] = str(seconds)
        return response
