"""The live detector: reads the signal buckets, moves each service's DetectorState between
"no problem", "possible problem" and "problem likely", and on entering "likely" opens a
suspected incident and alerts the editors, once per episode (the `problem_likely` event, whose
receiver enqueues the alert: this module never calls a task).

An episode starts when the level leaves "no problem" and ends when it comes back to it; the
hysteresis in `stats.next_level` keeps a noisy decline from ending one episode and starting
another.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from incidents.detection.official import official_major_outage
from incidents.detection.stats import (
    BUCKET,
    DEFAULT_CONFIG,
    LIKELY,
    OK,
    WARM,
    WEEK,
    BucketView,
    DetectorConfig,
    bucket_floor,
    next_level,
    ratio_of,
    recent_views,
)
from incidents.events import problem_likely, send_on_commit
from incidents.models import Component, DetectorState, Incident, Service, SignalBucket
from incidents.selectors.signals import signal_breakdown
from incidents.services.evidence import evidence_attach_to_incident
from incidents.services.slugs import incident_slug
from outagedesk.audit import audit_record

ATTACH_BEFORE = 6 * BUCKET  # evidence from shortly before the rise belongs to the episode too
BREAKDOWN_SHARE = 0.2


def detector_views(
    *, service: Service, now: datetime, config: DetectorConfig = DEFAULT_CONFIG
) -> list[BucketView]:
    """Count, baseline and flag of the latest buckets of the service's overall signal."""
    latest = bucket_floor(now)
    start = (
        latest
        - WEEK * config.baseline_weeks
        - BUCKET * (config.recent_buckets + config.window_buckets)
    )
    counts = dict(
        SignalBucket.objects.filter(
            service=service,
            component="",
            region="",
            bucket_start__gte=start,
            bucket_start__lte=latest,
        ).values_list("bucket_start", "count")
    )
    first = min(counts) if counts else None
    return recent_views(counts, latest, first_bucket=first, config=config)


def detector_evaluate(
    *, service: Service, now: datetime | None = None, config: DetectorConfig = DEFAULT_CONFIG
) -> DetectorState:
    now = now or timezone.now()
    views = detector_views(service=service, now=now, config=config)
    official = official_major_outage(service=service, now=now)
    with transaction.atomic():
        state, _created = DetectorState.objects.select_for_update().get_or_create(service=service)
        level, reason = next_level(
            state.level, [v.flag for v in views], official_major=bool(official), config=config
        )
        previous = state.level
        state.ratio = max(ratio_of(v.count, v.baseline) for v in views[-2:])
        state.evaluated_at = now
        if level != previous:
            state.level, state.since = level, now
            audit_record(
                actor=None,
                action="detector.level_changed",
                target=state,
                details={"from": previous, "to": level, "ratio": state.ratio, "reason": reason},
            )
        if level != OK and state.episode_started_at is None:
            state.episode_started_at = now
        if level == LIKELY:
            if state.suspected_incident_id is None:
                state.suspected_incident = suspected_incident_open(
                    service=service,
                    now=now,
                    started_at=_rise_start(views, now),
                    official=official,
                )
            if state.alerted_at is None:
                state.alerted_at = now
                send_on_commit(
                    problem_likely, incident_id=state.suspected_incident_id, reason=reason
                )
        if level == OK and state.episode_started_at is not None:
            state.episode_started_at = None
            state.alerted_at = None
            state.suspected_incident = None
        state.save()
    return state


def _rise_start(views: list[BucketView], now: datetime) -> datetime:
    rising = [v.bucket_start for v in views if v.flag >= WARM]
    return min(rising) if rising else now


def suspected_incident_open(
    *, service: Service, now: datetime, started_at: datetime, official: list[str]
) -> Incident:
    """A draft incident for editors to confirm or dismiss: never public by itself."""
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        title = _("%(service)s: problem likely (detected automatically)") % {
            "service": service.name
        }
    window_start = started_at - ATTACH_BEFORE
    end = now + BUCKET
    components = [
        slug
        for slug, _count, share in signal_breakdown(
            service=service, start=window_start, end=end, by="component"
        )
        if share >= BREAKDOWN_SHARE
    ]
    regions = [
        key
        for key, _count, share in signal_breakdown(
            service=service, start=window_start, end=end, by="region"
        )
        if share >= BREAKDOWN_SHARE
    ]
    incident = Incident.objects.create(
        service=service,
        slug=incident_slug(service=service, title=title, when=started_at),
        title=title,
        language=language,
        status=Incident.Status.SUSPECTED,
        impact=Incident.Impact.MAJOR if official else Incident.Impact.NONE,
        kind=Incident.Kind.GLOBAL,
        regions=regions,
        is_public=False,
        detected_by_detector=True,
        started_at=started_at,
    )
    # A detector draft affects the service it watches; editors add the others if any.
    incident.services.set([service])
    if components:
        incident.components.set(Component.objects.filter(service=service, slug__in=components))
    attached = evidence_attach_to_incident(incident=incident, since=window_start)
    audit_record(
        actor=None,
        action="incident.suspected_opened",
        target=incident,
        details={
            "components": components,
            "regions": regions,
            "evidence": attached,
            "official": official[:5],
        },
    )
    return incident


def detector_evaluate_all(*, now: datetime | None = None) -> dict[str, str]:
    now = now or timezone.now()
    return {
        service.slug: detector_evaluate(service=service, now=now).level
        for service in Service.objects.filter(is_active=True)
    }
