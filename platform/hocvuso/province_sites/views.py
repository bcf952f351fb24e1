from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from .selectors import request_look

# The stylesheet's URL carries the colours (?v=), so it may be kept long.
COLOURS_MAX_AGE = 60 * 60 * 24


@require_GET
def site_colours(request):
    """The site's colours as CSS custom properties: the Content-Security-Policy
    allows styles only from files, never inline."""
    look = request_look(request)
    # Both were checked against #RRGGBB when saved.
    css = (
        f":root {{ --blue: {look.primary_colour}; --blue-dark: {look.dark_colour}; }}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=COLOURS_MAX_AGE)
    return response
