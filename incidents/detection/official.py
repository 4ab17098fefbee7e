"""Does an official status page currently report a major outage?

Status page items are stored only when they change (see the statuspage collector), so the
current state of a page is the latest item per page, component and incident. A page counts only
while its source is being read successfully: a page we cannot reach any more says nothing about
now.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F

from incidents.models import Evidence, Service, Source
from incidents.selectors.sources import source_is_official_for

FRESH_MINIMUM = timedelta(minutes=30)
ITEMS_PER_PAGE = 300


def official_major_outage(*, service: Service, now: datetime) -> list[str]:
    """Titles of the official status items that report a major outage right now."""
    found: list[str] = []
    sources = Source.objects.filter(
        service=service,
        kind=Source.Kind.STATUSPAGE,
        tier=Source.Tier.OFFICIAL,
        is_enabled=True,
        last_success_at__isnull=False,
    )
    for source in sources:
        if not source_is_official_for(source, service):
            continue  # another company's status page says nothing official about this one
        freshness = max(FRESH_MINIMUM, timedelta(seconds=3 * source.poll_interval_seconds))
        if source.last_success_at is None or source.last_success_at < now - freshness:
            continue
        rows = (
            Evidence.objects.filter(source=source, signal_kind=Evidence.SignalKind.STATUS)
            .order_by(F("published_at").desc(nulls_last=True), "-id")
            .values_list("raw", "title")[:ITEMS_PER_PAGE]
        )
        seen: set[tuple[str, str]] = set()
        for raw, title in rows:
            if not isinstance(raw, dict) or not raw.get("scope"):
                continue
            scope = (str(raw.get("scope")), str(raw.get("scope_id")))
            if scope in seen:
                continue
            seen.add(scope)
            if raw.get("major") is True:
                found.append(title)
    return found
