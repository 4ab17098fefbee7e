"""What every collector shares: the item it returns, the context it runs in, and small parsing
helpers that never trust the shape of what a source sends."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _

from incidents.models import Evidence, Source
from outagedesk.lib.fetch import FetchBadContent, FetchResult, safe_fetch

JSON_ACCEPT = "application/json"
MAX_TIMEOUT = 30.0
MAX_BODY = 10_000_000


class CollectorOff(Exception):
    """The collector cannot run as configured (e.g. no API token): the source is skipped, not
    counted as failing."""


@dataclass
class CollectedItem:
    """One observation as a collector sees it: fields may still hold source HTML or overlong
    text; `incidents.services.evidence` sanitises everything before storing."""

    dedup_key: str
    signal_kind: str = Evidence.SignalKind.POST
    url: str = ""
    title: str = ""
    text: str = ""
    author: str = ""
    language: str = ""
    published_at: datetime | None = None
    signal_value: float | None = None
    status_text: str = ""
    component_hints: list[str] = field(default_factory=list)
    region_hints: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    # Extra words read for component and region hints but not stored (component names…).
    hint_text: str = ""
    # False when the hints given are the whole truth (a reader picked the feature and country).
    match_hints: bool = True
    # How many signals the item adds to the 5-minute buckets the detector reads, and over how
    # many minutes from published_at they are spread (a monitor's 15-minute point covers 3).
    signal_count: float = 0.0
    signal_minutes: int = 5
    # A monitor's latest point grows while its window fills: a newer value replaces the stored
    # one (and the difference is counted) instead of being dropped as a duplicate.
    updatable: bool = False


@dataclass
class CollectContext:
    source: Source
    now: datetime
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""

    @property
    def config(self) -> dict:
        return self.source.config if isinstance(self.source.config, dict) else {}

    def timeout(self) -> tuple[float, float]:
        value = self.config.get("timeout")
        try:
            if isinstance(value, int | float):
                connect = read = float(value)
            elif isinstance(value, list | tuple) and len(value) == 2:
                connect, read = float(value[0]), float(value[1])
            else:
                return (3.05, 10.0)
        except (TypeError, ValueError):
            return (3.05, 10.0)
        return (min(max(connect, 0.1), MAX_TIMEOUT), min(max(read, 0.1), MAX_TIMEOUT))

    def max_bytes(self, default: int = 5_000_000) -> int:
        value = self.config.get("max_bytes")
        if isinstance(value, int) and 1000 <= value <= MAX_BODY:
            return value
        return default

    def fetch(
        self,
        url: str | None = None,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        accept: str = JSON_ACCEPT,
        conditional: bool = True,
    ) -> FetchResult | None:
        """Fetch the source's URL (or `url`), conditionally on the stored ETag/Last-Modified.
        Returns None when the source answers 304: nothing changed since the last run."""
        if not (url or self.source.url):
            raise CollectorOff(_("off: the source has no URL"))
        target = with_params(url or self.source.url, params or {})
        result = safe_fetch(
            target,
            headers={"Accept": accept, **(headers or {})},
            timeout=self.timeout(),
            max_bytes=self.max_bytes(),
            etag=self.source.etag if conditional else "",
            last_modified=self.source.last_modified if conditional else "",
        )
        if conditional:
            self.etag, self.last_modified = result.etag[:200], result.last_modified[:100]
        if result.not_modified:
            self.not_modified = True
            return None
        return result


def with_params(url: str, params: dict[str, Any]) -> str:
    """Add query parameters the URL does not already set (a URL written by staff wins)."""
    if not params:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    for key, value in params.items():
        if key in present or value in (None, "", []):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        query.extend((key, str(v)) for v in values)
    return urlunsplit(parts._replace(query=urlencode(query)))


def expect_dict(value: Any, what: str) -> dict:
    if not isinstance(value, dict):
        raise FetchBadContent(f"unexpected response: expected {what}")
    return value


def expect_list(value: Any, what: str) -> list:
    if not isinstance(value, list):
        raise FetchBadContent(f"unexpected response: expected {what}")
    return value


def dict_in(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    """`mapping[key]` when it is an object, else an empty one (sources omit or garble fields)."""
    value = mapping.get(key)
    return value if isinstance(value, dict) else {}


def list_in(mapping: dict[str, Any], key: str) -> list[Any]:
    """`mapping[key]` when it is a list, else an empty one."""
    value = mapping.get(key)
    return value if isinstance(value, list) else []


def text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""


def number_of(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().rstrip("%"))
        except ValueError:
            return None
    return None


def parse_time(value: Any, *, tz: str = "UTC") -> datetime | None:
    """ISO 8601 (with or without offset, 'Z', fractions), 'YYYY-MM-DD HH:MM:SS' or a Unix
    timestamp. Naive times are read in `tz`. Anything else is None, never an exception."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        try:
            moment = moment.replace(tzinfo=ZoneInfo(tz))
        except (ZoneInfoNotFoundError, ValueError):
            moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def short_key(*parts: Any) -> str:
    """A dedup key from parts; long keys (URLs, tag: ids) are hashed to fit the column."""
    key = ":".join(str(p) for p in parts)
    if len(key) <= 180:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


# Why an item of a run was not stored; the labels live with Source.health_summary.
SKIP_INVALID_TEXT = "invalid_text"
SKIP_OVER_CAP = "over_cap"


def _storable(value: Any, depth: int = 0) -> bool:
    """False when a text anywhere in `value` cannot be written as UTF-8: a lone surrogate
    ('\\ud800', legal in JSON escapes and Python strings) makes the database driver refuse the
    whole insert, on SQLite and PostgreSQL alike."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if depth > 5:
        return True  # deeper than sanitising keeps (plain_raw stops at 3): never stored
    if isinstance(value, dict):
        return all(_storable(k, depth + 1) and _storable(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_storable(v, depth + 1) for v in value)
    return True


def item_problem(item: CollectedItem) -> str:
    """'' when the item can be stored, else the SKIP_* reason it cannot. Each item is judged
    alone, so one hostile post on a community feed skips that post, not the source's run."""
    for name in CollectedItem.__dataclass_fields__:
        if not _storable(getattr(item, name)):
            return SKIP_INVALID_TEXT
    return ""
