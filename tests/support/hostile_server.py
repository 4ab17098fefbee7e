"""A small local HTTP server whose routes misbehave on purpose (slow, huge, gzip bombs,
redirects to private addresses, hostile markup), for the gathering tests."""

import functools
import gzip
import json
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

XSS_DIR = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "xss"


def xss_payloads() -> list[str]:
    payloads = []
    for name in ("IntrudersXSS.txt", "BRUTELOGIC-XSS-STRINGS.txt", "XSS_Polyglots.txt"):
        path = XSS_DIR / name
        if path.exists():
            payloads += [line for line in path.read_text(errors="replace").splitlines() if line]
    return payloads or ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@functools.cache
def _bomb(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * 1_000_000
    return b"".join(compressor.compress(zeros) for _ in range(megabytes)) + compressor.flush()


class HostileServer:
    """Routes: /slow /error /limited /malformed /huge /huge-stream /bomb /gzip-ok
    /redirect-loopback /redirect-metadata /redirect-loop /bad-utf8 /html /xss-mastodon /xss-feed
    /x-search /mastodon (serves .mastodon_statuses) /webhook (records POSTed JSON in .posts)."""

    def __init__(self, redirect_target_port: int):
        self.posts: list = []
        self.requests: list[dict] = []
        self.redirect_target_port = redirect_target_port
        self.bomb = _bomb(200)
        self.payloads = xss_payloads()
        self.x_response: dict = {}
        self.mastodon_statuses: list = []
        self.probe_status = 200
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):
                return

            def send(self, status, body=b"", content_type="application/json", headers=None):
                try:
                    self.send_response(status)
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up first (timeouts, size caps): that is the point

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if self.path == "/error":
                    self.send(500, b"down", "text/plain")
                    return
                server.posts.append(json.loads(body or b"null"))
                self.send(200, b'{"ok": true}')

            def do_GET(self):  # one branch per misbehaviour
                path = self.path.split("?", 1)[0]
                server.requests.append({"path": self.path, "headers": dict(self.headers)})
                if path == "/slow":
                    time.sleep(3)
                    self.send(200, b"[]")
                elif path == "/error":
                    self.send(500, b"Internal Server Error", "text/plain")
                elif path == "/limited":
                    self.send(429, b"slow down", "text/plain", {"Retry-After": "120"})
                elif path == "/malformed":
                    self.send(200, b'{"posts": [{"uri": "at://x", tru')
                elif path == "/huge":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(50 * 1024 * 1024))
                    self.end_headers()
                    self._stream(50)
                elif path == "/huge-stream":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()  # no length: the body ends when the connection closes
                    self._stream(50)
                elif path == "/bomb":
                    self.send(200, server.bomb, "application/json", {"Content-Encoding": "gzip"})
                elif path == "/gzip-ok":
                    body = gzip.compress(b'[{"id": "1", "uri": "u1", "content": "gzip ok"}]')
                    self.send(200, body, "application/json", {"Content-Encoding": "gzip"})
                elif path == "/redirect-loopback":
                    target = f"http://127.0.0.1:{server.redirect_target_port}/x.json"
                    self.send(302, b"", None, {"Location": target})
                elif path == "/redirect-metadata":
                    target = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
                    self.send(302, b"", None, {"Location": target})
                elif path == "/redirect-loop":
                    self.send(302, b"", None, {"Location": "/redirect-loop"})
                elif path == "/bad-utf8":
                    self.send(200, b'[{"id": "1", "uri": "u", "content": "caf\xe9 \xff\xfe"}]')
                elif path == "/html":
                    self.send(200, b"<html><body><h1>Log in</h1></body></html>", "text/html")
                elif path == "/xss-mastodon":
                    self.send(200, json.dumps(server.mastodon_xss()).encode())
                elif path == "/xss-feed":
                    self.send(200, server.feed_xss().encode(), "application/rss+xml")
                elif path == "/mastodon":
                    # ensure_ascii keeps a lone surrogate as the JSON escape a real API sends.
                    self.send(200, json.dumps(server.mastodon_statuses).encode())
                elif path == "/x-search":
                    self.send(200, json.dumps(server.x_response).encode())
                elif path == "/probe":
                    self.send(server.probe_status, b"<html>probe</html>", "text/html")
                elif path == "/ok":
                    self.send(200, b"<html>fine</html>", "text/html")
                else:
                    self.send(404, b"not found", "text/plain")

            def _stream(self, megabytes):
                chunk = b" " * (1024 * 1024)
                try:
                    for _ in range(megabytes):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def mastodon_xss(self) -> list[dict]:
        statuses = []
        for index, payload in enumerate(self.payloads):
            statuses.append(
                {
                    "id": str(1000 + index),
                    "uri": f"https://evil.example/statuses/{index}",
                    "url": "javascript:alert(document.cookie)"
                    if index % 2
                    else f"https://evil.example/@x/{index}",
                    "created_at": "2025-10-14T16:00:00.000Z",
                    "language": "en",
                    "spoiler_text": payload,
                    "content": f"<p>WhatsApp down {payload}</p><script>alert(1)</script>",
                    "account": {"acct": f"{payload}@evil.example"},
                }
            )
        return statuses

    def feed_xss(self) -> str:
        from xml.sax.saxutils import escape

        items = "".join(
            f"<item><title>{escape(p)}</title><link>javascript:alert(1)</link>"
            f"<guid>g{i}</guid><description>{escape('<p onclick=alert(1)>x</p>' + p)}"
            f"</description></item>"
            for i, p in enumerate(self.payloads[:40])
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f"{items}</channel></rss>"
        )

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
