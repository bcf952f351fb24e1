from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .display import LARGE_TEXT_COOKIE, LARGE_TEXT_MAX_AGE, large_text_enabled


@never_cache
@require_GET
def healthz(request):
    status = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not healthy", whatever its type
        status["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("healthz", "1", 5)
        if cache.get("healthz") != "1":
            status["cache"] = "error: value not read back"
    except Exception as exc:
        status["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status},
        status=200 if healthy else 503,
    )


@require_POST
def text_size_toggle(request):
    target = request.POST.get("next") or request.headers.get("Referer") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if large_text_enabled(request):
        response.delete_cookie(LARGE_TEXT_COOKIE)
    else:
        response.set_cookie(
            LARGE_TEXT_COOKIE, "1", max_age=LARGE_TEXT_MAX_AGE, samesite="Lax"
        )
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own page is in English and outside the
    site's look; a learner mostly meets it after leaving a form open too long,
    so it offers the form's page again."""
    referer = request.headers.get("Referer") or "/"
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        referer = "/"
    return render(request, "403_csrf.html", {"retry_url": referer}, status=403)
