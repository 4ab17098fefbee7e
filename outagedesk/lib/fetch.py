"""The one way OutageDesk talks to the outside world over HTTP.

Every collector, probe, alert and webhook goes through `safe_fetch`, which:

- speaks http and https only, and follows at most `allow_redirects` redirects, each hop checked;
- refuses private, loopback, link-local, reserved, multicast and cloud-metadata addresses. The
  check runs on the addresses DNS returns, inside the connection itself, and the socket connects
  to exactly the address that was checked, so a name that resolves to a public address for the
  check and to 127.0.0.1 for the connection (DNS rebinding) gets nowhere;
- applies connect and read timeouts, plus an overall deadline (connect + 2 × read) enforced on
  the sockets themselves, so a server dripping one byte a second, in its headers or its body,
  cannot hold a worker;
- caps the body at `max_bytes` after decompression, counted while streaming, so neither a 50 MB
  body nor a gzip bomb is ever held in memory;
- sends conditional requests (ETag / Last-Modified) and reports 304 as `not_modified`;
- turns every failure into one of a few error classes with a message an editor can read.

Settings (read at call time): FETCH_ALLOW_PRIVATE (tests only) lifts the address refusal;
FETCH_ALLOWED_HOSTS lists `host:port` pairs let through anyway (the embedded runner's local
replay of recorded responses).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json as jsonlib
import socket
import threading
import time
import zlib
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

USER_AGENT = "OutageDesk/1.0 (+newsroom outage monitor)"
CHUNK = 64 * 1024
REDIRECT_STATUSES = {301, 302, 303, 307, 308}

# Cloud metadata endpoints. Most are link-local or private already; they are listed so that the
# refusal does not depend on how Python classifies a given range.
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, DigitalOcean…
    ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("192.0.0.192"),  # Oracle Cloud
    ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
}
METADATA_HOSTNAMES = {"metadata", "metadata.google.internal", "instance-data", "metadata.azure"}


class FetchError(Exception):
    """Base class: `str(error)` is a sentence an editor can read in the source health view."""


class FetchTimeout(FetchError):
    pass


class FetchTooLarge(FetchError):
    pass


class FetchBlockedAddress(FetchError):
    pass


class FetchHTTPError(FetchError):
    def __init__(self, message: str, *, status: int, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class FetchBadContent(FetchError):
    pass


@dataclass
class FetchResult:
    status: int
    headers: Mapping[str, str]
    content: bytes
    final_url: str
    elapsed: float
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    _json: Any = field(default=None, repr=False)

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str:
        for part in (self.headers.get("Content-Type") or "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'").lower()
        return ""

    def text(self) -> str:
        """The body as text; a body that does not decode in its declared charset (UTF-8 when
        none is declared) is bad content, not something to guess at."""
        encoding = self.charset or "utf-8"
        try:
            return self.content.decode(encoding)
        except LookupError:
            raise FetchBadContent(f"unknown character set {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise FetchBadContent(
                f"the response is not valid {encoding.upper()} (byte {exc.start})"
            ) from None

    def json(self, *, require_json_type: bool = True) -> Any:
        """The parsed JSON body. With `require_json_type`, an HTML page (a login wall, an error
        page) or any non-JSON content type is refused before parsing."""
        if self._json is not None:
            return self._json
        if require_json_type and self.content_type and not is_json_type(self.content_type):
            raise FetchBadContent(f"expected JSON, got {self.content_type}")
        text = self.text()
        try:
            self._json = jsonlib.loads(text)
        except jsonlib.JSONDecodeError as exc:
            raise FetchBadContent(f"malformed JSON: {exc.msg} at line {exc.lineno}") from None
        return self._json


def is_json_type(content_type: str) -> bool:
    return content_type in ("application/json", "text/json") or content_type.endswith("+json")


# --- Address policy ---------------------------------------------------------------------------


def _settings_value(name: str, default: Any) -> Any:
    try:
        from django.conf import settings

        return getattr(settings, name, default) if settings.configured else default
    except ImportError:
        return default


def _allowed_by_settings(host: str, port: int) -> bool:
    if _settings_value("FETCH_ALLOW_PRIVATE", False):
        return True
    allowed = {entry.strip().lower() for entry in _settings_value("FETCH_ALLOWED_HOSTS", [])}
    host = host.lower().strip("[]")
    return f"{host}:{port}" in allowed or f"[{host}]:{port}" in allowed


def address_is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
    if ip in METADATA_ADDRESSES:
        return False
    return ip.is_global and not ip.is_multicast


def _check_host_name(host: str, port: int) -> None:
    if host.lower().rstrip(".") in METADATA_HOSTNAMES and not _allowed_by_settings(host, port):
        raise FetchBlockedAddress(f"{host} is a cloud metadata service: refused")


# One getaddrinfo entry: family, type, protocol, canonical name, socket address.
AddressInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[Any, ...]]


def resolve_checked(host: str, port: int) -> list[AddressInfo]:
    """getaddrinfo, refusing the whole name if ANY address it returns is not public (a name
    with one public and one private address could otherwise be steered to the private one)."""
    _check_host_name(host, port)
    try:
        infos: list[AddressInfo] = list(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    except socket.gaierror as exc:
        raise FetchError(f"{host} does not resolve ({exc.strerror or exc})") from None
    if not infos:
        raise FetchError(f"{host} does not resolve")
    if not _allowed_by_settings(host, port):
        for info in infos:
            address = str(info[4][0])
            if not address_is_public(address):
                where = f"{host} resolves to {address}" if address != host else address
                raise FetchBlockedAddress(f"{where}, a private or reserved address: refused")
    return infos


if TYPE_CHECKING:
    # The mixin is only ever combined with urllib3's HTTPConnection, whose attributes it uses.
    _ConnectionBase = HTTPConnection
else:
    _ConnectionBase = object


class _CheckedConnectionMixin(_ConnectionBase):
    """Resolve, check and connect to the checked address in one step."""

    def _new_conn(self) -> socket.socket:
        host, port = self._dns_host, self.port
        infos = resolve_checked(host, port)
        last_error: OSError | None = None
        for family, socktype, proto, _name, sockaddr in infos:
            sock = socket.socket(family, socktype, proto)
            guard = _current_deadline.get()
            if guard is not None:
                guard.add(sock)
            try:
                for option in self.socket_options or []:
                    sock.setsockopt(*option)
                if self.timeout is not None:
                    sock.settimeout(self.timeout)
                sock.connect(sockaddr)
                return sock
            except TimeoutError as exc:
                sock.close()
                raise ConnectTimeoutError(
                    self, f"connection to {host} timed out after {self.timeout}s"
                ) from exc
            except OSError as exc:
                sock.close()
                last_error = exc
        raise NewConnectionError(self, f"could not connect to {host}: {last_error}")


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def _session() -> requests.Session:
    session = requests.Session()
    # Proxies from the environment would make the address check look at the proxy instead of
    # the target; outbound traffic goes direct.
    session.trust_env = False
    adapter = _CheckedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# --- The fetch itself -------------------------------------------------------------------------


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def _check_url(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(f"invalid URL: {url[:200]}") from None
    if parts.scheme not in ("http", "https"):
        raise FetchBlockedAddress(
            f"only http and https URLs are fetched, not {parts.scheme or '?'}:"
        )
    if not parts.hostname:
        raise FetchError(f"URL has no host: {url[:200]}")
    if parts.username or parts.password:
        raise FetchBlockedAddress("URLs with credentials in them are refused")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _read_body(response: requests.Response, *, max_bytes: int, deadline: float) -> bytes:
    """Read and decompress the body ourselves, so the cap applies to decompressed bytes and a
    gzip bomb stops after `max_bytes` of output, whatever its compressed size."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise FetchTooLarge(
            f"the response is {int(length):,} bytes, more than the {max_bytes:,} allowed"
        )
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding in ("identity", ""):
        decoder = None
    else:
        raise FetchBadContent(f"unsupported content encoding {encoding!r}")

    body = bytearray()
    raw = response.raw
    while True:
        if time.monotonic() > deadline:
            raise FetchTimeout("the response took too long to arrive in full")
        try:
            chunk = raw.read(CHUNK, decode_content=False)
        except (ReadTimeoutError, TimeoutError):
            raise FetchTimeout(
                "the server stopped sending before the response was complete"
            ) from None
        except (ProtocolError, OSError) as exc:
            raise FetchError(f"the connection broke while reading: {_short(exc)}") from None
        if not chunk:
            break
        if decoder is None:
            body += chunk
        else:
            try:
                body += decoder.decompress(chunk, max_bytes + 1 - len(body))
                # Output held back by max_length means the cap is reached anyway.
                if decoder.unconsumed_tail:
                    raise FetchTooLarge(
                        f"the response decompresses to more than {max_bytes:,} bytes"
                    )
            except zlib.error as exc:
                raise FetchBadContent(f"the compressed response is corrupt: {exc}") from None
        if len(body) > max_bytes:
            raise FetchTooLarge(f"the response is larger than the {max_bytes:,} bytes allowed")
    if decoder is not None:
        try:
            body += decoder.flush()
        except zlib.error as exc:
            raise FetchBadContent(f"the compressed response is corrupt: {exc}") from None
        if len(body) > max_bytes:
            raise FetchTooLarge(f"the response is larger than the {max_bytes:,} bytes allowed")
    return bytes(body)


def safe_fetch(
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    data: Any = None,
    json: Any = None,
    timeout: float | tuple[float, float] = (3.05, 10),
    max_bytes: int = 5_000_000,
    etag: str = "",
    last_modified: str = "",
    allow_redirects: int = 3,
) -> FetchResult:
    """Fetch `url` under the rules in this module's docstring. Raises a FetchError subclass."""
    # One number means the same limit for connecting and for each read, as in requests.
    connect_timeout, read_timeout = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    allowed = connect_timeout + 2 * read_timeout
    guard = _Deadline(allowed)
    context = _current_deadline.set(guard)
    try:
        result = _fetch(
            url,
            method=method,
            headers=headers,
            data=data,
            json=json,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            deadline=time.monotonic() + allowed,
            max_bytes=max_bytes,
            etag=etag,
            last_modified=last_modified,
            allow_redirects=allow_redirects,
        )
    except FetchError:
        if guard.expired:
            raise FetchTimeout(f"the response did not arrive in full within {allowed:g}s") from None
        raise
    finally:
        guard.cancel()
        _current_deadline.reset(context)
    if guard.expired:
        # Cut off at the deadline: what was read may be a truncated body.
        raise FetchTimeout(f"the response did not arrive in full within {allowed:g}s")
    return result


class _Deadline:
    """The overall deadline of one fetch, enforced on its sockets.

    Timeouts bound each wait for bytes, not the whole exchange: a server that sends a byte now
    and then, in its headers or its body, never trips them, and a blocking read asks the
    socket for more until it has a full buffer. So when the deadline passes, the sockets of
    the fetch are shut down from a timer thread, which ends any read in progress."""

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        # Not connected yet, or already closed: nothing to end.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


_current_deadline: ContextVar[_Deadline | None] = ContextVar("fetch_deadline", default=None)


def _fetch(
    url: str,
    *,
    method: str,
    headers: Mapping[str, str] | None,
    data: Any,
    json: Any,
    connect_timeout: float,
    read_timeout: float,
    deadline: float,
    max_bytes: int,
    etag: str,
    last_modified: str,
    allow_redirects: int,
) -> FetchResult:
    started = time.monotonic()
    request_headers = {
        "User-Agent": USER_AGENT,
        "Accept-Encoding": "gzip, deflate",
        **(headers or {}),
    }
    if etag:
        request_headers["If-None-Match"] = etag
    if last_modified:
        request_headers["If-Modified-Since"] = last_modified
    method = method.upper()
    current_url = url
    redirects = 0
    session = _session()
    try:
        while True:
            host, _port = _check_url(current_url)
            try:
                response = session.request(
                    method,
                    current_url,
                    headers=request_headers,
                    data=data,
                    json=json,
                    timeout=(connect_timeout, read_timeout),
                    allow_redirects=False,
                    stream=True,
                )
            except FetchError:
                raise
            except requests.exceptions.Timeout:
                raise FetchTimeout(
                    f"{host} did not answer within {connect_timeout + read_timeout:g}s"
                ) from None
            except requests.exceptions.SSLError as exc:
                raise FetchError(f"TLS error with {host}: {_short(exc)}") from None
            except requests.exceptions.RequestException as exc:
                cause = _unwrap(exc)
                if isinstance(cause, FetchError):
                    raise cause from None
                raise FetchError(f"could not reach {host}: {_short(exc)}") from None

            with response:
                if response.status_code in REDIRECT_STATUSES and "Location" in response.headers:
                    redirects += 1
                    if redirects > allow_redirects:
                        raise FetchHTTPError(
                            f"more than {allow_redirects} redirects", status=response.status_code
                        )
                    next_url = urljoin(current_url, response.headers["Location"])
                    if urlsplit(next_url).hostname != host:
                        # Credentials are for the host they were meant for.
                        request_headers.pop("Authorization", None)
                        request_headers.pop("Cookie", None)
                    if response.status_code == 303 or (
                        response.status_code in (301, 302) and method == "POST"
                    ):
                        method, data, json = "GET", None, None
                    current_url = next_url
                    continue

                elapsed = time.monotonic() - started
                result_headers = dict(response.headers)
                if response.status_code == 304:
                    return FetchResult(
                        status=304,
                        headers=result_headers,
                        content=b"",
                        final_url=current_url,
                        elapsed=elapsed,
                        etag=response.headers.get("ETag", etag),
                        last_modified=response.headers.get("Last-Modified", last_modified),
                        not_modified=True,
                    )
                if response.status_code >= 400:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    message = f"HTTP {response.status_code} {response.reason or ''}".strip()
                    if retry_after is not None:
                        message += f" (retry after {retry_after:.0f}s)"
                    raise FetchHTTPError(
                        message, status=response.status_code, retry_after=retry_after
                    )
                content = _read_body(response, max_bytes=max_bytes, deadline=deadline)
                return FetchResult(
                    status=response.status_code,
                    headers=result_headers,
                    content=content,
                    final_url=current_url,
                    elapsed=time.monotonic() - started,
                    etag=response.headers.get("ETag", ""),
                    last_modified=response.headers.get("Last-Modified", ""),
                )
    except requests.exceptions.Timeout:
        raise FetchTimeout(f"reading from {urlsplit(current_url).hostname} timed out") from None
    except requests.exceptions.RequestException as exc:
        raise FetchError(f"connection failed: {_short(exc)}") from None
    except OSError as exc:
        raise FetchError(f"connection failed: {exc}") from None
    finally:
        session.close()


def _unwrap(exc: BaseException) -> BaseException:
    """requests wraps urllib3 errors that wrap ours; find a FetchError in the chain if any."""
    seen = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, FetchError):
            return current
        for attr in ("reason", "__cause__", "__context__"):
            inner = getattr(current, attr, None)
            if isinstance(inner, BaseException):
                current = inner
                break
        else:
            current = None
    return exc


def _short(exc: BaseException) -> str:
    text = str(_unwrap(exc))
    return text[:200]
