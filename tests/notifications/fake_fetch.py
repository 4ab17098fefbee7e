"""A minimal private stand-in for `outagedesk.lib.fetch` (written on another branch), so the
notification tests run on this branch. It follows the same contract: `safe_fetch(url, method=,
headers=, data=, timeout=)` returning `.status`, `.headers`, `.text()`; errors subclass
`FetchError`, `FetchHTTPError.status` for HTTP errors; loopback and private addresses refused
unless `settings.FETCH_ALLOW_PRIVATE`.

`install_if_missing()` is the only seam: it puts this module in sys.modules under the real
name only while the real module does not exist, so once the real wrapper is merged every test
(and bench/fanout.py) uses it and this file can be deleted.
"""

import importlib
import ipaddress
import socket
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

REAL_MODULE = "outagedesk.lib.fetch"
MAX_BYTES = 1_000_000


class FetchError(Exception):
    pass


class FetchBlockedError(FetchError):
    pass


class FetchHTTPError(FetchError):
    def __init__(self, status: int, message: str = ""):
        super().__init__(message or f"HTTP {status}")
        self.status = status


@dataclass
class FetchResult:
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def _check_address(host: str, port: int) -> None:
    if getattr(settings, "FETCH_ALLOW_PRIVATE", False):
        return
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FetchBlockedError(f"{host} resolves to a private address ({address})")


def safe_fetch(url, *, method="GET", headers=None, data=None, timeout=10):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchBlockedError(f"not an http(s) URL: {url[:100]}")
    _check_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with _opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FetchError("response too large")
            return FetchResult(response.status, dict(response.headers), body)
    except urllib.error.HTTPError as exc:
        raise FetchHTTPError(exc.code, f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from None


def install_if_missing() -> bool:
    """Stand in for the real wrapper only while it is absent; True when installed."""
    if sys.modules.get(REAL_MODULE) is sys.modules[__name__]:
        return True
    try:
        importlib.import_module(REAL_MODULE)
        return False
    except ModuleNotFoundError as exc:
        if exc.name != REAL_MODULE:
            raise
    sys.modules[REAL_MODULE] = sys.modules[__name__]
    return True
