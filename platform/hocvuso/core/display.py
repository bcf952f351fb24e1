"""Display preferences kept in a cookie, so they work without JavaScript and
before login (a shared phone keeps the setting of whoever holds it)."""

LARGE_TEXT_COOKIE = "co_chu_lon"
LARGE_TEXT_MAX_AGE = 60 * 60 * 24 * 365


def large_text_enabled(request) -> bool:
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"
