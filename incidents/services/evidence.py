"""Storing what collectors and readers bring in as Evidence: sanitised, hinted, deduplicated,
and counted into the detector's signal buckets.

Nothing a source sends is trusted: every text is reduced to plain text (tags, script and event
handlers gone, entities decoded, length capped: the one policy in `outagedesk.lib.sanitize`),
every link must be http(s), `raw` keeps only short scalar values. The same item seen twice is
stored once (unique source + dedup key), which also makes a gathering run safe to repeat.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from incidents.collectors.base import CollectedItem
from incidents.detection.buckets import SignalKey, signal_buckets_add, signal_spread
from incidents.hints import (
    CONTINENT_WORDS,
    ISO_COUNTRY_CODES,
    ComponentMatcher,
    detect_language,
    normalise_language,
    region_hints,
)
from incidents.models import Component, DetectorState, Evidence, Incident, Source
from incidents.services.counters import counter_roll_up, is_counter_point
from outagedesk.audit import audit_record
from outagedesk.lib.sanitize import clean_text, safe_url

MAX_TITLE = 300
MAX_TEXT = 5000
MAX_AUTHOR = 200
MAX_STATUS = 60
MAX_URL = 1000
MAX_HINTS = 10
OPEN_INCIDENT_STATUSES = (Incident.Status.SUSPECTED, *Incident.ACTIVE_STATUSES)


def plain_raw(value: Any, *, depth: int = 0) -> Any:
    """A small, safe copy of a collector's raw extract: scalars and short strings only."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value if abs(value) < 1e15 else None
    if isinstance(value, str):
        return clean_text(value, max_length=300, multiline=False)
    if depth >= 3:
        return None
    if isinstance(value, dict):
        return {
            clean_text(str(k), max_length=40, multiline=False): plain_raw(v, depth=depth + 1)
            for k, v in list(value.items())[:30]
        }
    if isinstance(value, list | tuple):
        return [plain_raw(v, depth=depth + 1) for v in list(value)[:30]]
    return None


def dedup_key_of(value: str) -> str:
    value = str(value)
    if len(value) <= 200 and value.isprintable():
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()


_REGION_KEYS = ISO_COUNTRY_CODES | set(CONTINENT_WORDS)


@dataclass
class RecordOutcome:
    created: list[Evidence]
    updated: int = 0

    @property
    def created_count(self) -> int:
        return len(self.created)


class EvidenceBuilder:
    """Turns collected items into unsaved Evidence for one source."""

    def __init__(self, source: Source, now: datetime, components: Sequence[Component]):
        self.source = source
        self.now = now
        self.matcher = ComponentMatcher(components)

    def build(self, item: CollectedItem) -> Evidence:
        title = clean_text(item.title, max_length=MAX_TITLE, multiline=False)
        text = clean_text(item.text, max_length=MAX_TEXT)
        words = f"{title}\n{text}\n{clean_text(item.hint_text, max_length=1000)}"
        components = [c for c in item.component_hints if c in self.matcher.slugs]
        regions = [r for r in item.region_hints if r in _REGION_KEYS]
        if item.match_hints:
            components += [s for s in self.matcher.match(words) if s not in components]
            regions += [r for r in region_hints(words) if r not in regions]
        published = item.published_at
        if published is not None and published > self.now:
            published = self.now  # a source's clock does not get to place items in the future
        value = item.signal_value
        if value is not None and (value != value or abs(value) > 1e12):  # NaN or absurd
            value = None
        return Evidence(
            source=self.source,
            service_id=self.source.service_id,
            url=safe_url(item.url, max_length=MAX_URL),
            title=title,
            text=text,
            author=clean_text(item.author, max_length=MAX_AUTHOR, multiline=False),
            language=normalise_language(item.language) or detect_language(f"{title} {text}"),
            observed_at=self.now,
            published_at=published,
            signal_kind=item.signal_kind
            if item.signal_kind in Evidence.SignalKind.values
            else Evidence.SignalKind.POST,
            signal_value=value,
            status_text=clean_text(item.status_text, max_length=MAX_STATUS, multiline=False),
            component_hints=components[:MAX_HINTS],
            region_hints=regions[:MAX_HINTS],
            dedup_key=dedup_key_of(item.dedup_key),
            raw=plain_raw(item.raw) or {},
        )


def current_incident_for(service_id: int) -> Incident | None:
    """The incident new evidence joins while a detector episode is open: the suspected (or
    since confirmed) incident of that episode."""
    state = (
        DetectorState.objects.filter(service_id=service_id, episode_started_at__isnull=False)
        .select_related("suspected_incident")
        .first()
    )
    incident = state.suspected_incident if state else None
    if incident is not None and incident.status in OPEN_INCIDENT_STATUSES:
        return incident
    return None


def evidence_record_items(
    *, source: Source, items: Iterable[CollectedItem], now: datetime
) -> RecordOutcome:
    """Store new items of one source run; return what was created. Safe to call twice with the
    same items (and from two workers at once): duplicates are skipped, not stored again."""
    items = list(items)
    if not items:
        return RecordOutcome(created=[])
    by_key: dict[str, CollectedItem] = {}
    for item in items:
        by_key.setdefault(dedup_key_of(item.dedup_key), item)
    existing = {
        key: (pk, value)
        for pk, key, value in Evidence.objects.filter(
            source=source, dedup_key__in=list(by_key)
        ).values_list("pk", "dedup_key", "signal_value")
    }
    # Only what is new (or a known point whose count changed) is worth sanitising and hinting.
    pending = [
        (key, item)
        for key, item in by_key.items()
        if key not in existing
        or (
            item.updatable
            and item.signal_value is not None
            and item.signal_value != existing[key][1]
        )
    ]
    if not pending:
        return RecordOutcome(created=[])
    builder = EvidenceBuilder(source, now, list(source.service.components.all()))
    incident = current_incident_for(source.service_id)
    signals: dict[SignalKey, float] = defaultdict(float)
    changed: list[tuple[int, Evidence, CollectedItem, float]] = []
    new: list[tuple[Evidence, CollectedItem]] = []
    for key, item in pending:
        evidence = builder.build(item)
        evidence.in_inbox = not is_counter_point(source, item)
        if key not in existing:
            evidence.incident = incident
            new.append((evidence, item))
        elif evidence.signal_value is not None:
            pk, old_value = existing[key]
            delta = evidence.signal_value - (old_value or 0.0)
            if delta:
                changed.append((pk, evidence, item, delta))

    # Everything above only read; the write transaction (one writer at a time on SQLite) is
    # kept as short as the writes themselves.
    with transaction.atomic():
        for pk, evidence, item, delta in changed:
            Evidence.objects.filter(pk=pk).update(
                signal_value=evidence.signal_value, title=evidence.title
            )
            _add_signals(signals, evidence, item, delta)
        created = evidence_insert_new([evidence for evidence, _item in new])
        stored = {id(evidence) for evidence in created}
        for evidence, item in new:
            if id(evidence) in stored and item.signal_count:
                _add_signals(signals, evidence, item, item.signal_count)
        signal_buckets_add(service_id=source.service_id, counts=signals)
        # A counter's points stay out of the inbox; its one rolling item says where it stands.
        raised = counter_roll_up(
            source=source, items=items, now=now, builder=builder, incident=incident
        )
        if raised is not None:
            created.append(raised)
        if created or changed:
            audit_record(
                actor=None,
                action="evidence.collected",
                target=source,
                details={"created": len(created), "updated": len(changed)},
            )
    updated = len(changed)
    return RecordOutcome(created=created, updated=updated)


def evidence_insert_new(new: list[Evidence]) -> list[Evidence]:
    """Insert in one statement and return what was stored; if another worker stored one of them
    meanwhile (the unique dedup key says so), insert one by one and skip the duplicates."""
    if not new:
        return []
    try:
        with transaction.atomic():
            return Evidence.objects.bulk_create(new)
    except IntegrityError:
        pass
    created = []
    for evidence in new:
        evidence.pk = None
        try:
            with transaction.atomic():
                evidence.save()
        except IntegrityError:
            continue
        created.append(evidence)
    return created


def _add_signals(
    signals: dict[SignalKey, float], evidence: Evidence, item: CollectedItem, count: float
) -> None:
    moment = evidence.published_at or evidence.observed_at
    for key, value in signal_spread(
        moment=moment,
        count=count,
        minutes=item.signal_minutes,
        components=evidence.component_hints,
        regions=evidence.region_hints,
    ):
        signals[key] += value


def evidence_attach_to_incident(*, incident: Incident, since: datetime) -> int:
    """Attach the service's unattached evidence published (or, without a publication time,
    observed) since `since` to `incident`."""
    count = (
        Evidence.objects.filter(service_id=incident.service_id, incident__isnull=True)
        .filter(Q(published_at__gte=since) | Q(published_at__isnull=True, observed_at__gte=since))
        .update(incident=incident)
    )
    if count:
        audit_record(
            actor=None,
            action="evidence.attached",
            target=incident,
            details={"count": count, "since": since.isoformat()},
        )
    return count
