"""RSS 2.0 and Atom feeds (official blogs, status page history, tech press), parsed by
feedparser from the bytes we fetched (feedparser never fetches anything itself here).

An entry is keyed on its id (or link) and its `updated` time: a status page history entry that
gains an update is new information, the same entry read twice is not.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser

from incidents.collectors.base import CollectContext, CollectedItem, short_key, text_of
from incidents.models import Evidence, Source
from outagedesk.lib.fetch import FetchBadContent

FEED_ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8"
REFUSED_TYPES = {"text/html", "application/xhtml+xml", "application/json"}
MAX_ENTRIES = 100


def _time(struct) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    except (OverflowError, TypeError, ValueError):
        return None


def collect(ctx: CollectContext) -> list[CollectedItem]:
    response = ctx.fetch(accept=FEED_ACCEPT)
    if response is None:
        return []
    if response.content_type in REFUSED_TYPES:
        raise FetchBadContent(f"expected an RSS or Atom feed, got {response.content_type}")
    parsed = feedparser.parse(
        response.content,
        response_headers={"content-type": response.headers.get("Content-Type", "")},
        sanitize_html=False,  # we keep plain text only, see incidents.services.evidence
        resolve_relative_uris=False,
    )
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise FetchBadContent(
            "not a valid RSS or Atom feed" + (f" ({str(reason)[:150]})" if reason else "")
        )
    feed_language = text_of(parsed.feed.get("language"))
    kind = (
        Evidence.SignalKind.STATUS
        if ctx.source.tier == Source.Tier.OFFICIAL
        else Evidence.SignalKind.POST
    )
    items = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        link = text_of(entry.get("link"))
        identifier = text_of(entry.get("id")) or link
        title = text_of(entry.get("title"))
        if not identifier and not title:
            continue
        contents = entry.get("content") or []
        body = text_of(contents[0].get("value")) if contents else ""
        body = body or text_of(entry.get("summary"))
        published = _time(entry.get("published_parsed")) or _time(entry.get("updated_parsed"))
        items.append(
            CollectedItem(
                dedup_key=short_key("entry", identifier or title, text_of(entry.get("updated"))),
                signal_kind=kind,
                url=link,
                title=title,
                text=body,
                author=text_of(entry.get("author")),
                language=text_of(entry.get("language")) or feed_language,
                published_at=published,
                raw={"id": identifier[:300]},
            )
        )
    return items
