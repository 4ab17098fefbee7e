"""Reader reports ("WhatsApp is down for me") from the public pages.

A report is Evidence on the service's reader-reports source, with the feature and country the
reader picked as hints, counted as one signal. One report per reader per service per hour:
checked in the cache, and enforced by the database too, because the dedup key is derived from
the reader, the service and the hour. Nothing identifies the reader in clear: the view passes a
salted hash of the address, and the stored key is a hash of that hash with the service and the
hour, so reports cannot be linked across services or hours either.

This is the busiest write of a crisis (thousands of readers press the button within minutes),
so it is kept short: what a report needs to know about the service (its features, its
reader-reports source) is read from the cache, and a report is one insert and one counter
upsert in one transaction. Everything it stores is chosen by the server from fixed lists (the
feature's name, a known country code), so there is no reader text to sanitise.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from incidents.detection.buckets import signal_buckets_add, signal_spread
from incidents.hints import ISO_COUNTRY_CODES, normalise_language
from incidents.models import Evidence, Service, Source
from incidents.services.evidence import current_incident_for
from outagedesk.ratelimit import rate_limited

PER_READER_PER_SERVICE = 1
PER_READER_ALL_SERVICES = 20
WINDOW_SECONDS = 3600
# How long a service's report target stays cached; any save of the service, its components or
# its sources forgets it at once (incidents/receivers.py), so this only bounds a missed signal.
TARGET_CACHE_SECONDS = 60


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
class ReaderReportResult:
    evidence: Evidence


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
    target = ReportTarget(
        service_id=service.pk,
        service_name=service.name,
        source_id=reader_source_for(service).pk,
        features={c.slug: (c.name_en, c.name_fr) for c in service.components.all()},
    )
    cache.set(key, target, TARGET_CACHE_SECONDS)
    return target


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
) -> ReaderReportResult:
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
    evidence = _report_evidence(target, component, country, reader_key, language, now)
    try:
        with transaction.atomic():
            evidence.incident = current_incident_for(target.service_id)
            evidence.save(force_insert=True)
            signal_buckets_add(
                service_id=target.service_id,
                counts=dict(
                    signal_spread(
                        moment=now,
                        count=1,
                        components=evidence.component_hints,
                        regions=evidence.region_hints,
                    )
                ),
            )
    except IntegrityError:  # the same reader, service and hour: already counted
        raise ReaderReportLimited() from None
    return ReaderReportResult(evidence=evidence)


def _report_evidence(
    target: ReportTarget,
    component: str,
    country: str,
    reader_key: str,
    language: str,
    now: datetime,
) -> Evidence:
    hour = now.strftime("%Y%m%d%H")
    dedup = hashlib.sha256(f"{reader_key}:{target.service_id}:{hour}".encode()).hexdigest()
    if component:
        title = _("Reader report: %(feature)s") % {"feature": target.feature_name(component)}
    else:
        title = _("Reader report: not working")
    return Evidence(
        source_id=target.source_id,
        service_id=target.service_id,
        title=title + (f" ({country})" if country else ""),
        language=normalise_language(language),
        observed_at=now,
        published_at=now,
        signal_kind=Evidence.SignalKind.READER,
        signal_value=1,
        component_hints=[component] if component else [],
        region_hints=[country] if country else [],
        dedup_key=f"reader:{dedup}",
        raw={"component": component, "country": country},
    )
