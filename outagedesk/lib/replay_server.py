"""A small HTTP server that replays recorded source responses from a folder.

The demo points its sources at it, and tests use it so nothing reaches the internet. It answers
with the right content type, an ETag and Last-Modified, and 304 to conditional requests, like the
real sources do.

A named route can answer from a function of the current time instead of a file (the demo's
outage story: quiet before its start, rising after). The server's clock is a parameter, so a
test moves time instead of waiting for it.
"""

import hashlib
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CONTENT_TYPES = {
    ".json": "application/json; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}

# A time-dependent route: the body to serve at the given moment (an aware UTC datetime).
Route = Callable[[datetime], bytes]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _make_handler(
    root: Path, routes: Mapping[str, Route], clock: Clock
) -> type[BaseHTTPRequestHandler]:
    class ReplayHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test and demo output quiet
            return

        def do_GET(self) -> None:
            name = self.path.split("?", 1)[0].lstrip("/")
            if name in routes:
                now = clock()
                body, modified = routes[name](now), now.timestamp()
            else:
                target = (root / name).resolve()
                if root not in target.parents or not target.is_file():
                    self._send(404, b"not found", "text/plain")
                    return
                body, modified = target.read_bytes(), target.stat().st_mtime
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            last_modified = formatdate(modified, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", None, {"ETag": etag})
                return
            content_type = CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")
            self._send(200, body, content_type, {"ETag": etag, "Last-Modified": last_modified})

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return ReplayHandler


class ReplayServer:
    """Serve `root` on 127.0.0.1 in a background thread; use as a context manager or start/stop.
    `routes` (name → function of the time) answer before the files of the same name."""

    def __init__(
        self,
        root: Path,
        port: int = 0,
        *,
        routes: Mapping[str, Route] | None = None,
        clock: Clock = utc_now,
    ):
        self.root = Path(root).resolve()
        handler = _make_handler(self.root, dict(routes or {}), clock)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> "ReplayServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "ReplayServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
