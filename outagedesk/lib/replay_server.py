"""A small HTTP server that replays recorded source responses from a folder.

The demo points its sources at it, and tests use it so nothing reaches the internet. It answers
with the right content type, an ETag and Last-Modified, and 304 to conditional requests, like the
real sources do.
"""

import hashlib
import threading
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


def _make_handler(root: Path) -> type[BaseHTTPRequestHandler]:
    class ReplayHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test and demo output quiet
            return

        def do_GET(self) -> None:
            name = self.path.split("?", 1)[0].lstrip("/")
            target = (root / name).resolve()
            if root not in target.parents or not target.is_file():
                self._send(404, b"not found", "text/plain")
                return
            body = target.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            last_modified = formatdate(target.stat().st_mtime, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", None, {"ETag": etag})
                return
            content_type = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
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
    """Serve `root` on 127.0.0.1 in a background thread; use as a context manager or start/stop."""

    def __init__(self, root: Path, port: int = 0):
        self.root = Path(root).resolve()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _make_handler(self.root))
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
