"""One collector per source kind. A collector is a function `collect(ctx) -> [CollectedItem]`
that fetches through `ctx.fetch` (the safe fetch wrapper, with the source's conditional-request
state) and never writes to the database; `incidents.gathering` stores what it returns."""

from collections.abc import Callable

from incidents.collectors import bluesky, feed, hn, mastodon, probe, reddit, reports, statuspage, x
from incidents.collectors.base import CollectContext, CollectedItem, CollectorOff
from incidents.models import Source

COLLECTORS: dict[str, Callable[[CollectContext], list[CollectedItem]]] = {
    Source.Kind.STATUSPAGE: statuspage.collect,
    Source.Kind.FEED: feed.collect,
    Source.Kind.MASTODON: mastodon.collect,
    Source.Kind.BLUESKY: bluesky.collect,
    Source.Kind.REDDIT: reddit.collect,
    Source.Kind.HN: hn.collect,
    Source.Kind.X: x.collect,
    Source.Kind.REPORTS: reports.collect,
    Source.Kind.PROBE: probe.collect,
}

# Reader reports arrive through the public form (incidents.services.reader_reports); there is
# nothing to poll for them.
POLLED_KINDS = tuple(COLLECTORS)


def unavailable_reason(kind: str) -> str:
    """Why sources of this kind cannot run at all right now ('' when they can)."""
    if kind == Source.Kind.X:
        return x.unavailable_reason()
    if kind not in COLLECTORS:
        return "nothing to poll for this kind of source"
    return ""


__all__ = [
    "COLLECTORS",
    "POLLED_KINDS",
    "CollectContext",
    "CollectedItem",
    "CollectorOff",
    "unavailable_reason",
]
