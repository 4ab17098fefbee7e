"""Signal volume against its baseline, for the newsroom chart, the public report chart and the
detector.

The baseline of a 5-minute bucket is the median of the same bucket of the week (same weekday,
hour and minute) over the previous weeks: the usual volume for that hour of the week. The median
keeps one past outage from raising the baseline for the following weeks.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from incidents.models import Service, SignalBucket

BUCKET = timedelta(seconds=SignalBucket.BUCKET_SECONDS)
WEEK = timedelta(days=7)
BASELINE_WEEKS = 4


@dataclass(frozen=True)
class SignalPoint:
    bucket_start: datetime
    count: float
    baseline: float


def bucket_floor(moment: datetime) -> datetime:
    seconds = int(moment.timestamp()) // SignalBucket.BUCKET_SECONDS * SignalBucket.BUCKET_SECONDS
    return datetime.fromtimestamp(seconds, tz=moment.tzinfo)


def signal_series(
    *,
    service: Service,
    start: datetime,
    end: datetime,
    component: str = "",
    region: str = "",
    baseline_weeks: int = BASELINE_WEEKS,
) -> list[SignalPoint]:
    """One point per 5-minute bucket in [start, end), missing buckets counted as 0.
    Two queries, whatever the range."""
    start, end = bucket_floor(start), bucket_floor(end)
    rows = SignalBucket.objects.filter(
        service=service,
        component=component,
        region=region,
        bucket_start__gte=start - WEEK * baseline_weeks,
        bucket_start__lt=end,
    ).values_list("bucket_start", "count")
    counts = dict(rows)
    points = []
    moment = start
    while moment < end:
        history = [counts.get(moment - WEEK * k, 0.0) for k in range(1, baseline_weeks + 1)]
        points.append(
            SignalPoint(
                bucket_start=moment,
                count=counts.get(moment, 0.0),
                baseline=statistics.median(history) if history else 0.0,
            )
        )
        moment += BUCKET
    return points


def signal_breakdown(
    *, service: Service, start: datetime, end: datetime, by: str = "component"
) -> list[tuple[str, float, float]]:
    """Share of signals per component (or region) in [start, end): [(slug, count, share)],
    largest first. Drives "connection 50%, messages 30%, calls 20%"."""
    if by not in ("component", "region"):
        raise ValueError("by must be 'component' or 'region'")
    other = "region" if by == "component" else "component"
    totals: dict[str, float] = defaultdict(float)
    rows = (
        SignalBucket.objects.filter(
            service=service, bucket_start__gte=start, bucket_start__lt=end, **{other: ""}
        )
        .exclude(**{by: ""})
        .values_list(by, "count")
    )
    for key, count in rows:
        totals[key] += count
    grand_total = sum(totals.values())
    if not grand_total:
        return []
    return sorted(
        ((key, count, count / grand_total) for key, count in totals.items()),
        key=lambda item: -item[1],
    )
