"""Counting signals into 5-minute SignalBucket rows: one overall row (component "" and
region ""), one row per component and one per region. Increments are atomic UPDATEs, so two
workers counting into the same bucket never lose a count."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from django.db.models import F

from incidents.detection.stats import BUCKET, bucket_floor
from incidents.models import SignalBucket

SignalKey = tuple[datetime, str, str]  # bucket_start, component, region


def signal_spread(
    *,
    moment: datetime,
    count: float,
    minutes: int = 5,
    components: Iterable[str] = (),
    regions: Iterable[str] = (),
) -> Iterator[tuple[SignalKey, float]]:
    """The bucket increments for `count` signals that happened over `minutes` from `moment`."""
    spans = max(1, round(minutes / (BUCKET.total_seconds() / 60)))
    share = count / spans
    components = [c[:60] for c in components if c]
    regions = [r[:60] for r in regions if r]
    start = bucket_floor(moment)
    for index in range(spans):
        bucket = start + BUCKET * index
        yield (bucket, "", ""), share
        for component in components:
            yield (bucket, component, ""), share
        for region in regions:
            yield (bucket, "", region), share


def signal_buckets_add(*, service_id: int, counts: Mapping[SignalKey, float]) -> None:
    """Add `counts` to the buckets: missing rows are inserted at 0 first (a row inserted by
    another worker meanwhile is simply kept), then every row is incremented in place."""
    counts = {key: delta for key, delta in counts.items() if delta}
    if not counts:
        return
    existing = set(
        SignalBucket.objects.filter(
            service_id=service_id, bucket_start__in={key[0] for key in counts}
        ).values_list("bucket_start", "component", "region")
    )
    missing = [key for key in counts if key not in existing]
    if missing:
        SignalBucket.objects.bulk_create(
            [
                SignalBucket(
                    service_id=service_id,
                    bucket_start=bucket_start,
                    component=component,
                    region=region,
                    count=0,
                )
                for bucket_start, component, region in missing
            ],
            ignore_conflicts=True,
        )
    for (bucket_start, component, region), delta in sorted(counts.items()):
        SignalBucket.objects.filter(
            service_id=service_id, bucket_start=bucket_start, component=component, region=region
        ).update(count=F("count") + delta)
