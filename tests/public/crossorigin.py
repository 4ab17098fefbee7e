"""A page on another origin (127.0.0.1, its own port) that embeds the banner from the app, as a
reader's blog would."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.services import free_port


class BlogServer:
    def __init__(self, html: str):
        self.html = html.encode()
        self.port = free_port()
        blog = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(blog.html)))
                self.end_headers()
                self.wfile.write(blog.html)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> "BlogServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
