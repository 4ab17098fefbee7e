"""Reader reports ("WhatsApp is down for me") from the public pages.

A report is Evidence on the service's reader-reports source, with the feature and country the
reader picked as hints, counted as one signal. One report per reader per service per hour:
checked in the cache, and enforced by the database too, because the dedup key is derived from
the reader, the service and the hour. Nothing identifies the reader in clear: the view passes a
salted hash of the address, and the stored key is a hash of that hash with the service and the
hour, so reports cannot be linked across services or hours either.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.collectors.base import CollectedItem
from incidents.hints import ISO_COUNTRY_CODES
from incidents.models import Component, Evidence, Service, Source
from incidents.services.evidence import evidence_record_items
from outagedesk.ratelimit import rate_limited

PER_READER_PER_SERVICE = 1
PER_READER_ALL_SERVICES = 20
WINDOW_SECONDS = 3600


class ReaderReportInvalid(ValueError):
    pass


class ReaderReportLimited(Exception):
    pass


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


def validate_report(*, service: Service, component: str, country: str) -> Component | None:
    component = (component or "").strip()
    country = (country or "").strip().upper()
    if country and country not in ISO_COUNTRY_CODES:
        raise ReaderReportInvalid(_("Unknown country."))
    if not component:
        return None
    found = Component.objects.filter(service=service, slug=component).first()
    if found is None:
        raise ReaderReportInvalid(_("Unknown feature."))
    return found


def reader_report_submit(
    *,
    service: Service,
    component: str,
    country: str,
    reader_key: str,
    language: str = "",
    now: datetime | None = None,
) -> ReaderReportResult:
    """Record one reader's report. `reader_key` is already a salted hash (see
    outagedesk.ratelimit.hash_identifier). Raises ReaderReportInvalid or ReaderReportLimited."""
    now = now or timezone.now()
    found = validate_report(service=service, component=component, country=country)
    country = (country or "").strip().upper()
    if rate_limited(
        f"reader-report:{service.pk}:{reader_key}",
        limit=PER_READER_PER_SERVICE,
        window_seconds=WINDOW_SECONDS,
    ) or rate_limited(
        f"reader-report:any:{reader_key}",
        limit=PER_READER_ALL_SERVICES,
        window_seconds=WINDOW_SECONDS,
    ):
        raise ReaderReportLimited()
    hour = now.strftime("%Y%m%d%H")
    dedup = hashlib.sha256(f"{reader_key}:{service.pk}:{hour}".encode()).hexdigest()
    if found is not None:
        title = _("Reader report: %(feature)s") % {"feature": found.name}
    else:
        title = _("Reader report: not working")
    item = CollectedItem(
        dedup_key=f"reader:{dedup}",
        signal_kind=Evidence.SignalKind.READER,
        title=title + (f" ({country})" if country else ""),
        language=language,
        published_at=now,
        signal_value=1,
        component_hints=[found.slug] if found else [],
        region_hints=[country] if country else [],
        raw={"component": found.slug if found else "", "country": country},
        signal_count=1,
        match_hints=False,
    )
    source = reader_source_for(service)
    try:
        with transaction.atomic():
            outcome = evidence_record_items(source=source, items=[item], now=now)
    except IntegrityError:
        raise ReaderReportLimited() from None
    if not outcome.created:
        raise ReaderReportLimited()
    return ReaderReportResult(evidence=outcome.created[0])
