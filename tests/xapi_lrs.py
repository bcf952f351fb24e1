"""A Learning Record Store stand-in: a threaded HTTP server on 127.0.0.1
that stores the statements POSTed to /statements (each id once, as an LRS
does) and can be stopped, started again on the same port, made to answer
500 or to hang past the client's timeout."""

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    auth: str
    version: str
    statements: list[dict]


@dataclass
class LrsStandIn:
    key: str = "khoa-lrs"
    secret: str = "bi-mat-lrs"
    # "ok", "error" (500), "hostile" (502 with 5 MB of control characters)
    # or "slow" (answers after `delay` seconds)
    mode: str = "ok"
    delay: float = 2.0
    port: int = 0
    posts: list[Received] = field(default_factory=list)
    stored: dict[str, dict] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xapi"

    @property
    def stored_ids(self) -> list[str]:
        return list(self.stored)

    def start(self) -> "LrsStandIn":
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if stand_in.mode == "slow":
                    time.sleep(stand_in.delay)
                if stand_in.mode == "error":
                    return self._answer(500, b"LRS down for maintenance")
                if stand_in.mode == "hostile":
                    return self._answer(
                        502, b"\x00\x1b[31m=cmd|' /C calc'!A0" * 200_000
                    )
                expected = base64.b64encode(
                    f"{stand_in.key}:{stand_in.secret}".encode()
                ).decode()
                if (
                    self.path != "/xapi/statements"
                    or self.headers.get("Authorization") != f"Basic {expected}"
                    or self.headers.get("X-Experience-API-Version") != "1.0.3"
                ):
                    return self._answer(401 if self.path.endswith("s") else 404, b"")
                statements = json.loads(body)
                with stand_in._lock:
                    stand_in.posts.append(
                        Received(
                            auth=self.headers["Authorization"],
                            version=self.headers["X-Experience-API-Version"],
                            statements=statements,
                        )
                    )
                    # A batch holding a stored id is refused whole (xAPI 1.0.3).
                    if any(s["id"] in stand_in.stored for s in statements):
                        return self._answer(409, b"already stored")
                    for s in statements:
                        stand_in.stored[s["id"]] = s
                ids = json.dumps([s["id"] for s in statements]).encode()
                self._answer(200, ids)

            def _answer(self, status: int, body: bytes):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Closed: a connection is refused, as with an LRS that is down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
