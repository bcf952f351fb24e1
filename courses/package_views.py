"""Serving a content package's files under /goi-noi-dung/<uuid>/<path>.

A package is an editor's upload full of scripts someone else wrote, so it is
played in its own opaque origin: every response carries a Content-Security-
Policy `sandbox allow-scripts` (never allow-same-origin), like the lesson's
<iframe sandbox>. Its scripts then cannot read the site's cookies or storage,
reach the lesson page's DOM, or call the API with the learner's session; they
talk to the lesson page only by postMessage, through the SCORM runtime
(static/courses/scorm_api.js or scorm2004_api.js) put into the package's
launch page here, or the H5P player page (h5p-standalone, vendored in
static/courses/h5p/) served at /goi-noi-dung/<uuid>/."""

import mimetypes
import re
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from .h5p_texts import h5p_texts
from .models import ContentPackage, PackageKind
from .package_archive import PackageRefused, member_path
from .package_services import package_folder


# Inline scripts and eval are what authoring tools' output needs; they run in
# the sandbox only. connect-src and form-action 'none': a package cannot send
# anything anywhere, its results leave through the runtime's postMessage. The
# H5P player alone may read (its own package's folder, package_player).
def package_csp(*, connect: str = "'none'") -> str:
    return "; ".join(
        [
            "sandbox allow-scripts",
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "media-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src {connect}",
            "form-action 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'self'",
        ]
    )


PACKAGE_CSP = package_csp()
RUNTIMES = {
    PackageKind.SCORM_12: "courses/scorm_api.js",
    PackageKind.SCORM_2004: "courses/scorm2004_api.js",
}
# The launch page is read whole to put the runtime in; a bigger one is
# not a page a phone should open.
MAX_LAUNCH_BYTES = 5 * 1024 * 1024
OPENING_TAGS = [
    re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE),
    re.compile(rb"<html(?:\s[^>]*)?>", re.IGNORECASE),
]


def _contained(response, *, csp: str = PACKAGE_CSP):
    response["Content-Security-Policy"] = csp
    # The H5P player, in its opaque origin, reads the package's JSON with
    # fetch: a cross-origin read without cookies.
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _with_runtime(html: bytes, *, runtime: str) -> bytes:
    """The launch page with the SCORM runtime as its first scripts, so the
    package finds window.API (1.2) or window.API_1484_11 (2004), with the
    learner's saved state, when its own scripts run."""
    tag = "".join(
        f'<script src="{static(name)}"></script>'
        for name in ("courses/package_frame.js", runtime)
    ).encode()
    at = 0
    for opening in OPENING_TAGS:
        match = opening.search(html, 0, 4096)
        if match:
            at = match.end()
            break
    return html[:at] + tag + html[at:]


@require_GET
def package_player(request, uuid):
    """The page that plays an H5P package's folder with h5p-standalone. Its
    scripts may fetch from this package's folder and nowhere else."""
    package = ContentPackage.objects.filter(uuid=uuid, kind=PackageKind.H5P).first()
    if package is None:
        raise Http404
    folder = request.build_absolute_uri(
        reverse("content_package_player", kwargs={"uuid": uuid})
    )
    response = render(
        request,
        "courses/h5p_player.html",
        {"package": package, "h5p_texts": h5p_texts()},
    )
    return _contained(response, csp=package_csp(connect=folder))


@require_GET
def package_file(request, uuid, path: str):
    found = ContentPackage.objects.filter(uuid=uuid).values_list("launch", "kind")
    launch, kind = found.first() or (None, None)
    if launch is None:
        raise Http404
    try:
        relative = member_path(path)
    except PackageRefused as exc:
        raise Http404 from exc
    root = package_folder(uuid).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise Http404
    content_type, encoding = mimetypes.guess_type(target.name)
    if encoding or not content_type:
        # A .gz is sent as the bytes it is, never decoded by the browser.
        content_type = "application/octet-stream"
    if (
        kind in RUNTIMES
        and str(relative) == launch
        and target.stat().st_size <= MAX_LAUNCH_BYTES
    ):
        html = _with_runtime(Path(target).read_bytes(), runtime=RUNTIMES[kind])
        return _contained(HttpResponse(html, content_type="text/html"))
    return _contained(FileResponse(target.open("rb"), content_type=content_type))
