"""Storage and HTTP for every public response: the leaf of the public pipeline.

    cache ← render ← pages | banner | statuspage | feeds ← documents ← views | warm ← receivers

(each module imports only modules to its left; receivers are connected in public/apps.py).

Each response body is rendered once and kept in Django's cache with its ETag; readers get it
from there (or a 304) until something is published. Publishing bumps one site-wide generation
(`invalidate_all`, called by public/receivers.py), which makes every entry stale at once: the
next reader triggers one re-render while the others keep getting the previous body for the few
milliseconds it takes (no stampede on the database). A time-to-live bounds what changes
without a signal: the report chart, and a service's settings edited in the admin (FAQ writes
go through incidents/services/faq.py, which sends `incident_changed`).

The cache may be down (Redis restarting): the production cache backend,
outagedesk.cache.ResilientRedisCache, then answers misses and drops writes (the one place that
rule lives), so every request renders, slower but served. A failing render with a
previous body in the cache serves that body (stale-if-error).

Pages carry a CSP nonce. The cached body holds a secret placeholder that is swapped for the
request's nonce on the way out, so the ETag stays stable and each response gets its own nonce.

This module imports nothing from the rest of the app: what to cache comes in as a `Document`.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.template.context_processors import csp as csp_context
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
    """What a builder returns: one response body, the same for every reader."""

    body: bytes
    content_type: str
    last_modified: datetime | None = None
    status: int = 200
    language: str = ""  # Content-Language of a page that is in one language whatever the reader's


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


@dataclass(frozen=True)
class Document:
    """One cacheable public response: where it is kept, how it is built, how long it lives.
    Made only by the registry, public/documents.py."""

    key: str
    build: Callable[[], Rendered]
    policy: Policy


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


def make_key(*parts: str) -> str:
    raw = ":".join(parts)
    if len(raw) <= 180 and raw.isascii() and " " not in raw:
        return f"public:{raw}"
    return "public:h:" + hashlib.sha256(raw.encode()).hexdigest()


def current_generation(known: object = None) -> str:
    generation = known if known is not None else cache.get(GENERATION_KEY)
    if generation is None:
        # Lost (eviction, restart): start a new one so no older entry counts as fresh.
        generation = str(time.time_ns())
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY) or generation
    return str(generation)


def invalidate_all() -> None:
    """Make every public entry stale; called when anything public changes."""
    cache.set(GENERATION_KEY, str(time.time_ns()), None)


def _stored(entry: Entry) -> dict:
    # Kept as plain values, not as an `Entry`: whatever a later deploy does to that class, what
    # an older process stored still unpickles, and a shape this one does not know is a miss.
    return asdict(entry)


def _loaded(value: object) -> Entry | None:
    if not isinstance(value, dict):
        return None
    try:
        return Entry(**value)
    except TypeError:
        return None


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _build_entry(build: Callable[[], Rendered], generation: str) -> Entry:
    rendered = build()
    return Entry(
        body=rendered.body,
        content_type=rendered.content_type,
        etag=etag_for(rendered.body),
        last_modified=int(rendered.last_modified.timestamp()) if rendered.last_modified else None,
        status=rendered.status,
        language=rendered.language,
        generation=generation,
        built_at=time.time(),
    )


def get_entry(document: Document) -> Entry:
    """The document's body from the cache, rendered first if it is missing or stale."""
    key, lock = document.key, f"{document.key}:lock"
    # One round trip to the cache for the generation and the entry.
    found = cache.get_many([GENERATION_KEY, key])
    generation = current_generation(found.get(GENERATION_KEY))
    entry = _loaded(found.get(key))
    if (
        entry
        and entry.generation == generation
        and time.time() - entry.built_at < document.policy.ttl
    ):
        return entry
    if entry is not None and not cache.add(lock, 1, LOCK_SECONDS):
        return entry  # another request is re-rendering; this one serves the previous body
    try:
        fresh = _build_entry(document.build, generation)
    except Http404:
        # Gone (unpublished, or never public): no previous body may outlive it.
        cache.delete_many([key, lock])
        raise
    except Exception:
        cache.delete(lock)
        if entry is None:
            raise
        logger.exception("public render of %s failed; serving the previous body", key)
        return entry
    cache.set(key, _stored(fresh), STALE_KEEP_SECONDS)
    cache.delete(lock)
    return fresh


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


def _with_nonce(body: bytes, request: HttpRequest) -> bytes:
    placeholder = NONCE_PLACEHOLDER.encode()
    if placeholder not in body:
        return body
    # The nonce Django's CSP middleware puts in this response's header, through its public
    # API (the `csp` context processor). A lazy value, made here: test it against None, since
    # it is false until made.
    nonce = csp_context(request)["csp_nonce"]
    return body.replace(placeholder, b"" if nonce is None else str(nonce).encode())


def cached_response(request: HttpRequest, document: Document) -> HttpResponse:
    entry = get_entry(document)
    policy = document.policy
    response = HttpResponse(content_type=entry.content_type, status=entry.status)
    _headers(response, entry, policy)
    if entry.status == 200:
        conditional = get_conditional_response(
            request, etag=entry.etag, last_modified=entry.last_modified, response=response
        )
        if conditional is not None and conditional is not response:
            if policy.cors:
                conditional["Access-Control-Allow-Origin"] = "*"
            return conditional
    response.content = _with_nonce(entry.body, request)
    return response


def embedded_file_response(request: HttpRequest, body: bytes, content_type: str) -> HttpResponse:
    """A file other sites load from their pages (the banner script). Not a document: it changes
    only with a deployment, so it is never in the cache and browsers keep it an hour."""
    etag = etag_for(body)
    response = HttpResponse(content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=3600, stale-while-revalidate=86400"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    conditional = get_conditional_response(request, etag=etag, response=response)
    if conditional is not None and conditional is not response:
        return conditional
    response.content = body
    return response
