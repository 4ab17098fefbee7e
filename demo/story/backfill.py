"""The week before launch, and the clean-up that makes every launch a fresh story.

The backfill is demo data, written only by the demo app: report-count points of a source named
as demo data (disabled, never gathered), stored and counted into the detector's 5-minute
buckets exactly as gathering stores a report counter's points, so the chart and the detector's
usual level read them like any other. Each point is marked `raw["demo"] = "backfill"`.

A new launch first takes back what the previous story added: every point and post the story's
sources stored is subtracted from the buckets and deleted, the detector's suspected incident
of that story (still a draft nobody touched) is removed, and the detector starts from "no
problem". What an editor acted on stays: evidence they verified, rejected or cited is kept
(its dedup key retired so the new story's posts are stored again) and their incidents are
never touched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from demo.story.curve import story_shape
from demo.story.routes import REPORT_COUNTER, SOCIAL, STATUS_PAGE, StoryClock
from incidents.collectors.base import CollectedItem, short_key
from incidents.detection.buckets import SignalKey, signal_buckets_add, signal_spread
from incidents.detection.stats import BUCKET, WEEK
from incidents.models import (
    DetectorState,
    Evidence,
    Incident,
    IncidentUpdate,
    Service,
    SignalBucket,
    Source,
)
from incidents.services.counters import ROLLING_KEY_PREFIX
from incidents.services.evidence import EvidenceBuilder
from outagedesk.audit import audit_record

BACKFILL_SOURCE = "Demo story: a normal week (generated)"
BACKFILL_LABEL = "Demo data (generated)"
STORY_FILES = {REPORT_COUNTER, STATUS_PAGE, *SOCIAL}
RETIRED_PREFIX = "earlier-story:"
POST_KINDS = {"mastodon", "bluesky", "reddit", "hn", "x"}


@dataclass(frozen=True)
class StoryStart:
    points: int  # backfilled points
    until: datetime  # the backfill's end, where the live counter takes over
    removed_evidence: int
    removed_incidents: int
    still_open: list[Incident]  # earlier stories' incidents an editor took on and left open


def backfill_source(service: Service) -> Source:
    source, _created = Source.objects.get_or_create(
        service=service,
        name=BACKFILL_SOURCE,
        defaults={
            "public_label": BACKFILL_LABEL,
            "kind": Source.Kind.REPORTS,
            "tier": Source.Tier.MONITOR,
            "owner": "outagedesk-demo",
            "url": "",
            "is_enabled": False,
            "config": {"demo": True},
        },
    )
    return source


def story_sources(service: Service) -> list[Source]:
    """The demo's sources whose replayed responses the story writes (by recorded file name),
    and the backfill's source."""
    sources = [backfill_source(service)]
    for source in service.sources.exclude(url=""):
        address = urlsplit(source.url)
        # Only on the local replay: a source an editor pointed at a real site is theirs.
        if address.hostname == "127.0.0.1" and address.path.rsplit("/", 1)[-1] in STORY_FILES:
            sources.append(source)
    return sources


def _contribution(evidence: Evidence, kind: str) -> tuple[float, int]:
    """(signals, minutes) the evidence added to the buckets when it was gathered."""
    if kind == Source.Kind.REPORTS and not evidence.dedup_key.startswith(ROLLING_KEY_PREFIX):
        minutes = evidence.raw.get("minutes") if isinstance(evidence.raw, dict) else None
        return evidence.signal_value or 0.0, minutes if isinstance(minutes, int) else 5
    if kind in POST_KINDS:
        return 1.0, 5
    return 0.0, 5


def _take_back(service: Service, sources: list[Source]) -> int:
    kinds = {source.pk: source.kind for source in sources}
    stories = Evidence.objects.filter(source__in=sources).exclude(
        dedup_key__startswith=RETIRED_PREFIX
    )
    evidence = list(stories)
    cited = set(
        IncidentUpdate.evidence.through.objects.filter(evidence__source__in=sources).values_list(
            "evidence_id", flat=True
        )
    )
    counts: dict[SignalKey, float] = defaultdict(float)
    kept = []
    for item in evidence:
        count, minutes = _contribution(item, kinds[item.source_id])
        if count:
            for key, share in signal_spread(
                moment=item.published_at or item.observed_at,
                count=count,
                minutes=minutes,
                components=item.component_hints,
                regions=item.region_hints,
            ):
                counts[key] -= share
        if item.state != Evidence.State.UNVERIFIED or item.pk in cited:
            kept.append(item)
    signal_buckets_add(service_id=service.pk, counts=counts)
    # A bucket only the story filled is now empty; one a hint changed mid-point may dip below.
    if counts:
        starts = [bucket for bucket, _component, _region in counts]
        SignalBucket.objects.filter(
            service=service,
            bucket_start__gte=min(starts),
            bucket_start__lte=max(starts),
            count__lt=1e-6,
        ).delete()
    for item in kept:
        item.dedup_key = (RETIRED_PREFIX + item.dedup_key)[:200]
        item.save(update_fields=["dedup_key"])
    # What is left is what nobody acted on (the kept items no longer match the query).
    stories.delete()
    return len(evidence) - len(kept)


def _backfill(service: Service, source: Source, clock: StoryClock) -> int:
    shape = story_shape()
    end = clock.first_live_bucket
    builder = EvidenceBuilder(source, clock.launched_at, [])
    points: list[Evidence] = []
    counts: dict[SignalKey, float] = {}
    bucket = end - WEEK
    while bucket < end:
        usual = shape.usual(bucket)
        item = CollectedItem(
            dedup_key=short_key("point", bucket.isoformat()),
            signal_kind=Evidence.SignalKind.REPORTS,
            # The reports collector's own words, already in every catalogue.
            title=_("%(count)s reports at %(time)s UTC (usual: %(baseline)s)")
            % {"count": f"{usual:,.0f}", "time": f"{bucket:%H:%M}", "baseline": f"{usual:,.0f}"},
            published_at=bucket,
            signal_value=usual,
            raw={"baseline": usual, "minutes": 5, "demo": "backfill"},
            match_hints=False,
        )
        evidence = builder.build(item)
        evidence.in_inbox = False
        points.append(evidence)
        for key, share in signal_spread(moment=bucket, count=usual, minutes=5):
            counts[key] = counts.get(key, 0.0) + share
        bucket += BUCKET
    Evidence.objects.bulk_create(points, batch_size=500)
    signal_buckets_add(service_id=service.pk, counts=counts)
    return len(points)


def story_start(*, service: Service, clock: StoryClock) -> StoryStart:
    """Clear the previous story and write the week before `clock.launched_at`."""
    with transaction.atomic():
        sources = story_sources(service)
        removed_evidence = _take_back(service, sources)
        drafts = Incident.objects.filter(
            service=service,
            detected_by_detector=True,
            status=Incident.Status.SUSPECTED,
            updates__isnull=True,
        )
        draft_ids = list(drafts.values_list("pk", flat=True))
        Incident.objects.filter(pk__in=draft_ids).delete()
        DetectorState.objects.filter(service=service).update(
            level=DetectorState.Level.OK,
            since=None,
            ratio=0,
            episode_started_at=None,
            alerted_at=None,
            suspected_incident=None,
        )
        # Poll the story's sources at once, without the previous story's validators.
        Source.objects.filter(pk__in=[s.pk for s in sources]).update(
            etag="", last_modified="", next_poll_at=None
        )
        points = _backfill(service, sources[0], clock)
        still_open = list(
            Incident.objects.filter(
                service=service, detected_by_detector=True, status__in=Incident.ACTIVE_STATUSES
            ).order_by("started_at")
        )
        audit_record(
            actor=None,
            action="demo.story_started",
            target=service,
            details={
                "backfilled_points": points,
                "removed_evidence": removed_evidence,
                "outage_at": clock.outage_at.isoformat(),
            },
        )
    return StoryStart(
        points=points,
        until=clock.first_live_bucket,
        removed_evidence=removed_evidence,
        removed_incidents=len(draft_ids),
        still_open=still_open,
    )
