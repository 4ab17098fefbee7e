"""Reader reports ("WhatsApp is down for me") from the public pages.

A report is Evidence on the service's reader-reports source, with the feature and country the
reader picked as hints, counted as one signal. One report per reader per service per hour:
checked in the cache, and enforced by the database too, because the dedup key is derived from
the reader, the service and the hour. Nothing identifies the reader in clear: the view passes a
salted hash of the address, and the stored key is a hash of that hash with the service and the
hour, so reports cannot be linked across services or hours either.

This is the busiest write of a crisis, so the request does as little as it can: what a report
needs to know about the service (its features, its reader-reports source) is read from the
cache, and with Redis the report waits in a list for the worker, which stores them in batches
(`report_buffer` says why and how nothing is lost). Without Redis (the embedded mode) or when
Redis cannot be reached, the request stores its report itself, through the same function.
Everything a report stores is chosen by the server from fixed lists (the feature's name, a
known country code): there is no reader text in it to sanitise.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from incidents.detection.buckets import SignalKey, signal_buckets_add, signal_spread
from incidents.events import reader_reports_waiting
from incidents.hints import ISO_COUNTRY_CODES, normalise_language
from incidents.models import Evidence, Incident, Service, Source
from incidents.services import report_buffer
from incidents.services.evidence import current_incident_for, evidence_insert_new
from outagedesk.ratelimit import rate_limited

logger = logging.getLogger(__name__)

PER_READER_PER_SERVICE = 1
PER_READER_ALL_SERVICES = 20
WINDOW_SECONDS = 3600
# How long a service's report target stays cached; any save of the service, its components or
# its sources forgets it at once (incidents/receivers.py), so this only bounds a missed signal.
# The `reader-report-targets` job caches every active service's again well within it.
TARGET_CACHE_SECONDS = 120
FLUSH_BATCH = 500


class ReaderReportInvalid(ValueError):
    pass


class ReaderReportLimited(Exception):
    pass


@dataclass(frozen=True)
class ReportTarget:
    """What a report needs to know about an active service."""

    service_id: int
    service_name: str
    source_id: int
    # feature slug → (English name, French name)
    features: dict[str, tuple[str, str]] = field(default_factory=dict)

    def feature_name(self, slug: str) -> str:
        english, french = self.features[slug]
        return french if (get_language() or "en").startswith("fr") else english


@dataclass(frozen=True)
class WaitingReport:
    """A report as it waits to be stored (in Redis, as JSON)."""

    service_id: int
    source_id: int
    dedup_key: str
    title: str
    language: str
    component: str
    country: str
    at: str  # ISO 8601, when the reader sent it

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> WaitingReport:
        return cls(**json.loads(raw))

    def evidence(self, incident: Incident | None) -> Evidence:
        at = datetime.fromisoformat(self.at)
        return Evidence(
            source_id=self.source_id,
            service_id=self.service_id,
            incident=incident,
            title=self.title,
            language=self.language,
            observed_at=at,
            published_at=at,
            signal_kind=Evidence.SignalKind.READER,
            signal_value=1,
            component_hints=[self.component] if self.component else [],
            region_hints=[self.country] if self.country else [],
            dedup_key=self.dedup_key,
            raw={"component": self.component, "country": self.country},
        )


def reader_source_for(service: Service) -> Source:
    """The service's reader-reports source, created on first use."""
    source = Source.objects.filter(service=service, kind=Source.Kind.READER).order_by("pk").first()
    if source is None:
        source, _created = Source.objects.get_or_create(
            service=service,
            kind=Source.Kind.READER,
            name=_("Reader reports"),
            defaults={"tier": Source.Tier.UNVERIFIED, "owner": "readers"},
        )
    return source


def _target_key(service_slug: str) -> str:
    return f"reader-report-target:{service_slug}"


def report_target(service_slug: str) -> ReportTarget | None:
    """The active service `service_slug` as reports need it, or None (unknown or archived)."""
    key = _target_key(service_slug)
    target = cache.get(key)
    if isinstance(target, ReportTarget):
        return target
    service = Service.objects.filter(slug=service_slug, is_active=True).first()
    if service is None:
        return None
    target = _target_of(service)
    cache.set(key, target, TARGET_CACHE_SECONDS)
    return target


def _target_of(service: Service) -> ReportTarget:
    return ReportTarget(
        service_id=service.pk,
        service_name=service.name,
        source_id=reader_source_for(service).pk,
        features={c.slug: (c.name_en, c.name_fr) for c in service.components.all()},
    )


def report_targets_refresh() -> int:
    """Cache every active service's report target ahead of need (the periodic job). The first
    reports of a crisis then find it ready: otherwise the first few dozen of a burst, arriving
    together, each read the service from the database (and open a connection to do it), and
    they are the slowest posts of the crisis. Returns how many were cached."""
    services = Service.objects.filter(is_active=True).prefetch_related("components")
    targets = {_target_key(service.slug): _target_of(service) for service in services}
    cache.set_many(targets, TARGET_CACHE_SECONDS)
    return len(targets)


def report_target_forget(service_slug: str) -> None:
    cache.delete(_target_key(service_slug))


def reader_report_submit(
    *,
    target: ReportTarget,
    component: str,
    country: str,
    reader_key: str,
    language: str = "",
    now: datetime | None = None,
) -> None:
    """Record one reader's report. `reader_key` is already a salted hash (see
    outagedesk.ratelimit.hash_identifier). Raises ReaderReportInvalid or ReaderReportLimited."""
    now = now or timezone.now()
    component = (component or "").strip()
    country = (country or "").strip().upper()
    if country and country not in ISO_COUNTRY_CODES:
        raise ReaderReportInvalid(_("Unknown country."))
    if component and component not in target.features:
        raise ReaderReportInvalid(_("Unknown feature."))
    if rate_limited(
        f"reader-report:{target.service_id}:{reader_key}",
        limit=PER_READER_PER_SERVICE,
        window_seconds=WINDOW_SECONDS,
    ) or rate_limited(
        f"reader-report:any:{reader_key}",
        limit=PER_READER_ALL_SERVICES,
        window_seconds=WINDOW_SECONDS,
    ):
        raise ReaderReportLimited()
    report = _waiting_report(target, component, country, reader_key, language, now)
    waiting = report_buffer.buffer_push(report.to_json())
    if waiting is None:
        if not reader_reports_store([report]):
            raise ReaderReportLimited()  # the same reader, service and hour: already counted
    elif waiting == 1:
        # The list was empty: no flush is under way or about to look, so ask for one. (A flush
        # that is running looks again before it ends.)
        reader_reports_waiting.send(sender=None)


def _waiting_report(
    target: ReportTarget,
    component: str,
    country: str,
    reader_key: str,
    language: str,
    now: datetime,
) -> WaitingReport:
    hour = now.strftime("%Y%m%d%H")
    dedup = hashlib.sha256(f"{reader_key}:{target.service_id}:{hour}".encode()).hexdigest()
    if component:
        title = _("Reader report: %(feature)s") % {"feature": target.feature_name(component)}
    else:
        title = _("Reader report: not working")
    return WaitingReport(
        service_id=target.service_id,
        source_id=target.source_id,
        dedup_key=f"reader:{dedup}",
        title=title + (f" ({country})" if country else ""),
        language=normalise_language(language),
        component=component,
        country=country,
        at=now.isoformat(),
    )


def reader_reports_store(reports: Sequence[WaitingReport]) -> int:
    """Store `reports` (one from a request, or a batch from Redis) in one transaction, with their
    signal counts; skip those already stored (the same reader, service and hour) and those
    whose source no longer exists. Returns how many were stored."""
    unique = list({(r.source_id, r.dedup_key): r for r in reports}.values())
    source_ids = {r.source_id for r in unique}
    sources = set(Source.objects.filter(pk__in=source_ids).values_list("pk", flat=True))
    stored_keys = set(
        Evidence.objects.filter(
            source_id__in=source_ids,
            dedup_key__in=[r.dedup_key for r in unique],
        ).values_list("source_id", "dedup_key")
    )
    new = [
        r
        for r in unique
        if r.source_id in sources and (r.source_id, r.dedup_key) not in stored_keys
    ]
    if not new:
        return 0
    incidents = {sid: current_incident_for(sid) for sid in {r.service_id for r in new}}
    counts: dict[int, dict[SignalKey, float]] = defaultdict(lambda: defaultdict(float))
    with transaction.atomic():
        created = evidence_insert_new([r.evidence(incidents[r.service_id]) for r in new])
        for evidence in created:
            for key, value in signal_spread(
                moment=evidence.observed_at,
                count=1,
                components=evidence.component_hints,
                regions=evidence.region_hints,
            ):
                counts[evidence.service_id][key] += value
        for service_id, service_counts in counts.items():
            signal_buckets_add(service_id=service_id, counts=service_counts)
    return len(created)


def reader_reports_flush(*, max_seconds: float = 40.0) -> int:
    """Store the reports waiting in Redis, oldest first, a batch at a time; one flush at a time.
    Returns how many were stored. Stops after `max_seconds` (the next task or the periodic job
    goes on)."""
    deadline = time.monotonic() + max_seconds
    stored = 0
    while time.monotonic() < deadline:
        with report_buffer.buffer_exclusive() as held:
            if not held:
                return stored
            while time.monotonic() < deadline:
                raw = report_buffer.buffer_peek(FLUSH_BATCH)
                if not raw:
                    break
                stored += reader_reports_store(_parsed(raw))
                report_buffer.buffer_drop(len(raw))
        # A report pushed while the lock was held found the list not empty and asked for no
        # flush: look once more now that it is released.
        if not report_buffer.buffer_waiting():
            break
    return stored


def _parsed(raw: list[str]) -> list[WaitingReport]:
    reports = []
    for entry in raw:
        try:
            reports.append(WaitingReport.from_json(entry))
        except (ValueError, TypeError) as exc:  # not written by this version: dropped, said
            logger.error("reader report dropped, unreadable in Redis: %s (%r)", exc, entry[:200])
    return reports
