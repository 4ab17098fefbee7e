"""The crisis cache for every public response: pages, feeds, the status API and the banner.

Each response body is rendered once and kept in Django's cache with its ETag; readers get it
from there (or a 304) until something is published. Publishing bumps one site-wide generation
(receivers of `update_published` and `incident_changed`), which makes every entry stale at
once: the next reader triggers one re-render while the others keep getting the previous body
for the few milliseconds it takes (no stampede on the database). A time-to-live bounds what
changes without a signal (the report chart, FAQ edits, service settings).

The cache may be down (Redis restarting): then every request renders, slower but served.
A failing render with a previous body in the cache serves that body (stale-if-error).

Pages carry a CSP nonce. The cached body holds a secret placeholder that is swapped for the
request's nonce on the way out, so the ETag stays stable and each response gets its own nonce.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

logger = logging.getLogger(__name__)

GENERATION_KEY = "public:generation"
STALE_KEEP_SECONDS = 24 * 3600
LOCK_SECONDS = 10

NONCE_PLACEHOLDER = (
    "odnonce"
    + hashlib.sha256(f"{settings.SECRET_KEY}:public-nonce-placeholder".encode()).hexdigest()[:24]
)


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str
    last_modified: datetime | None = None
    status: int = 200
    language: str = ""  # Content-Language of a page that is in one language whatever the reader's


@dataclass(frozen=True)
class Entry:
    body: bytes
    content_type: str
    etag: str
    last_modified: int | None
    status: int
    generation: str
    built_at: float
    language: str = ""


_last_warning = 0.0


def _cache_call(method: str, *args, default=None):
    global _last_warning
    try:
        return getattr(cache, method)(*args)
    except Exception as exc:  # the cache server is down: serve without it
        # Once a minute per process, not once per request of a crowd.
        if time.monotonic() - _last_warning > 60:
            _last_warning = time.monotonic()
            logger.warning("public cache %s failed, rendering without it: %s", method, exc)
        return default


def current_generation(known: object = None) -> str:
    generation = known if known is not None else _cache_call("get", GENERATION_KEY)
    if generation is None:
        # Lost (eviction, restart): start a new one so no older entry counts as fresh.
        generation = str(time.time_ns())
        _cache_call("add", GENERATION_KEY, generation, None)
        generation = _cache_call("get", GENERATION_KEY, default=generation) or generation
    return str(generation)


def invalidate_all() -> None:
    """Make every public entry stale; called when anything public changes."""
    _cache_call("set", GENERATION_KEY, str(time.time_ns()), None)


def make_key(*parts: str) -> str:
    raw = ":".join(parts)
    if len(raw) <= 180 and raw.isascii() and " " not in raw:
        return f"public:{raw}"
    return "public:h:" + hashlib.sha256(raw.encode()).hexdigest()


def _build_entry(build: Callable[[], Rendered], generation: str) -> Entry:
    rendered = build()
    return Entry(
        body=rendered.body,
        content_type=rendered.content_type,
        etag='"' + hashlib.sha256(rendered.body).hexdigest()[:32] + '"',
        last_modified=int(rendered.last_modified.timestamp()) if rendered.last_modified else None,
        status=rendered.status,
        language=rendered.language,
        generation=generation,
        built_at=time.time(),
    )


def get_entry(key: str, build: Callable[[], Rendered], *, ttl: int) -> Entry:
    # One round trip to the cache for the generation and the entry.
    found = _cache_call("get_many", [GENERATION_KEY, key], default={})
    generation = current_generation(found.get(GENERATION_KEY))
    entry = found.get(key)
    if not isinstance(entry, Entry):
        entry = None
    if entry and entry.generation == generation and time.time() - entry.built_at < ttl:
        return entry
    if entry is not None and not _cache_call("add", f"{key}:lock", 1, LOCK_SECONDS, default=True):
        return entry  # another request is re-rendering; this one serves the previous body
    try:
        fresh = _build_entry(build, generation)
    except Http404:
        # Gone (unpublished, or never public): no previous body may outlive it.
        _cache_call("delete_many", [key, f"{key}:lock"])
        raise
    except Exception:
        _cache_call("delete", f"{key}:lock")
        if entry is None:
            raise
        logger.exception("public render of %s failed; serving the previous body", key)
        return entry
    _cache_call("set", key, fresh, STALE_KEEP_SECONDS)
    _cache_call("delete", f"{key}:lock")
    return fresh


@dataclass(frozen=True)
class Policy:
    """How long browsers and CDNs may keep a response, and whether any site may read it."""

    max_age: int
    stale_while_revalidate: int
    ttl: int = 60  # how long the rendered body stays fresh in Django's cache without a signal
    cors: bool = False
    no_cache: bool = False  # always revalidate (cheap with the ETag): the live-update poll

    def cache_control(self) -> str:
        if self.no_cache:
            return "public, no-cache"
        return (
            f"public, max-age={self.max_age}, "
            f"stale-while-revalidate={self.stale_while_revalidate}, stale-if-error=86400"
        )


PAGE = Policy(max_age=10, stale_while_revalidate=60)
API = Policy(max_age=10, stale_while_revalidate=60, cors=True)
FEED = Policy(max_age=60, stale_while_revalidate=300, ttl=300, cors=True)
BANNER = Policy(max_age=30, stale_while_revalidate=300, cors=True)
STATE = Policy(max_age=0, stale_while_revalidate=0, cors=False, no_cache=True)


def _headers(response: HttpResponse, entry: Entry, policy: Policy) -> None:
    response["ETag"] = entry.etag
    if entry.language:
        response["Content-Language"] = entry.language
    if entry.last_modified is not None:
        response["Last-Modified"] = http_date(entry.last_modified)
    response["Cache-Control"] = policy.cache_control()
    if policy.cors:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        response["Cross-Origin-Resource-Policy"] = "cross-origin"


def cached_response(
    request: HttpRequest, key: str, build: Callable[[], Rendered], policy: Policy
) -> HttpResponse:
    entry = get_entry(key, build, ttl=policy.ttl)
    response = HttpResponse(content_type=entry.content_type, status=entry.status)
    _headers(response, entry, policy)
    if entry.status == 200:
        conditional = get_conditional_response(
            request, etag=entry.etag, last_modified=entry.last_modified, response=response
        )
        if conditional is not response:
            if policy.cors:
                conditional["Access-Control-Allow-Origin"] = "*"
            return conditional
    body = entry.body
    placeholder = NONCE_PLACEHOLDER.encode()
    if placeholder in body:
        body = body.replace(placeholder, str(request._csp_nonce).encode())
    response.content = body
    return response


def on_update_published(sender, update=None, **kwargs) -> None:
    invalidate_all()
    if update is not None:
        _warm(update.incident)


def on_incident_changed(sender, incident=None, **kwargs) -> None:
    invalidate_all()
    if incident is not None:
        _warm(incident)


def _warm(incident) -> None:
    from public import warm  # renders pages, which import this module

    warm.incident(incident)
