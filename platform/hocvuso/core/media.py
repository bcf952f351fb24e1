"""Development only: serve MEDIA_ROOT with HTTP Range support, as nginx does
in production (video players seek with Range requests)."""

import os
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils._os import safe_join

# Only these are served: a stored file of any other kind (an HTML page under
# another name's extension) must never reach a browser from the site's origin.
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ts": "video/mp2t",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".vtt": "text/vtt",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain; charset=utf-8",
}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _chunks(path: Path, start: int, length: int):
    with path.open("rb") as f:
        f.seek(start)
        while length > 0:
            data = f.read(min(CHUNK, length))
            if not data:
                return
            length -= len(data)
            yield data


# Served by their own views after a permission check, as in production
# (deploy/nginx/hocvuso.conf answers 404 for them).
PRIVATE_PREFIXES = ("exports/", "certificates/")


def media_serve(request, path: str):
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation as exc:
        raise Http404 from exc
    # Judged on the normalised path: "a/../exports/…" is private too.
    relative = full.relative_to(os.path.abspath(settings.MEDIA_ROOT)).as_posix()
    if relative.startswith(PRIVATE_PREFIXES):
        raise Http404
    content_type = CONTENT_TYPES.get(full.suffix.lower())
    if content_type is None or not full.is_file():
        raise Http404
    size = full.stat().st_size
    match = RANGE.match(request.headers.get("Range", "").strip())
    if not match or (not match[1] and not match[2]):
        response = FileResponse(full.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:  # the last N bytes
        start = max(0, size - int(match[2]))
        end = size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    length = end - start + 1
    response = StreamingHttpResponse(
        _chunks(full, start, length), status=206, content_type=content_type
    )
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    return response
