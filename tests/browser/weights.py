"""What a page costs a phone on mobile data before the learner does anything:
every byte of a cold-cache visit, compressed as production sends it."""

import gzip

from django.conf import settings
from django.test import Client

BUDGET = 100 * 1024
# Text that nginx gzips in production (deploy/nginx/hocvuso.conf) but the test
# server sends as it is; Django's GZipMiddleware already compresses the pages.
GZIPPED_IN_PRODUCTION = ("text/css", "javascript", "application/json", "svg")
STREAM = (".m3u8", ".ts", ".m4s", ".mp4", ".m4a", "hls.light.min.js")


def session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": value,
        "url": live_server.url,
    }


class Meter:
    """Counts, per URL, the bytes one page received until it fell quiet."""

    def __init__(self, page):
        self.page = page
        self.sizes: dict[str, int] = {}
        self._sent: dict[str, int] = {}
        self._urls: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._encoded: set[str] = set()
        self._done: dict[str, int] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)
        self._cdp = cdp

    def _received(self, event) -> None:
        response = event["response"]
        self._urls[event["requestId"]] = response["url"]
        self._types[event["requestId"]] = response.get("mimeType", "")
        headers = {k.lower() for k in response.get("headers", {})}
        if "content-encoding" in headers:
            self._encoded.add(event["requestId"])

    def _finished(self, event) -> None:
        self._done[event["requestId"]] = int(event["encodedDataLength"])

    def measure(self) -> None:
        """Read the sizes (after the page fell quiet: the DevTools session
        cannot be asked for a body from inside its own event)."""
        for request_id, size in self._done.items():
            url = self._urls.get(request_id)
            if url is None or url.startswith("data:"):
                continue
            mime = self._types.get(request_id, "")
            if request_id not in self._encoded and any(
                kind in mime for kind in GZIPPED_IN_PRODUCTION
            ):
                body = self._cdp.send(
                    "Network.getResponseBody", {"requestId": request_id}
                )
                text = body["body"].encode()
                size = min(size, len(gzip.compress(text)) + 200)  # + headers
            self.sizes[url] = self.sizes.get(url, 0) + size
        self._done.clear()

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def streamed(self) -> list[str]:
        """URLs of the player or of a stream (none may load before play)."""
        return [url for url in self.sizes if url.split("?")[0].endswith(STREAM)]


def page_weight(browser, live_server, path: str, *, cookie: dict | None = None):
    """Open `path` in a fresh phone context (cold cache) and measure it."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
    )
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    meter = Meter(page)
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    meter.measure()
    context.close()
    return meter
