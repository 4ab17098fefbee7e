"""Signal volume against its baseline, for the newsroom chart, the public report chart and the
detector.

The baseline is the detector's own (incidents.detection.stats.baseline_at): the median of the
same time of the week over the previous weeks once three weeks of history exist, of the same
time of day over the previous days before that, neighbouring buckets included. The median keeps
one past outage from raising the baseline for the following weeks. Before a day of history
there is no baseline (shown as 0).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from incidents.detection.stats import BUCKET, WEEK, DetectorConfig, baseline_at
from incidents.detection.stats import bucket_floor as _bucket_floor
from incidents.models import Incident, Service, SignalBucket

BASELINE_WEEKS = 4
# The span every chart of an incident shows (newsroom workspace and public incident page).
CHART_BEFORE_START = timedelta(hours=2)  # the usual level just before it began
CHART_AFTER_END = timedelta(hours=2)  # the return to normal once it is over
CHART_MAX_SPAN = timedelta(hours=24)  # a long incident shows its most recent day


@dataclass(frozen=True)
class SignalPoint:
    bucket_start: datetime
    count: float
    baseline: float


def chart_window(incident: Incident, now: datetime | None = None) -> tuple[datetime, datetime]:
    """From two hours before the incident began to now, or to two hours after it ended (never
    past now); at most a day, the most recent part kept."""
    now = now or timezone.now()
    started = incident.started_at or incident.created_at or now
    end = min(now, incident.resolved_at + CHART_AFTER_END) if incident.resolved_at else now
    if end <= started:  # a start recorded ahead of the clock: show the span after it
        end = started + CHART_AFTER_END
    start = max(started - CHART_BEFORE_START, end - CHART_MAX_SPAN)
    return start, end


def bucket_floor(moment: datetime) -> datetime:
    return _bucket_floor(moment)


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
    config = DetectorConfig(baseline_weeks=baseline_weeks)
    start, end = bucket_floor(start), bucket_floor(end)
    rows = SignalBucket.objects.filter(
        service=service,
        component=component,
        region=region,
        bucket_start__gte=start - WEEK * baseline_weeks - BUCKET * config.window_buckets,
        bucket_start__lt=end,
    ).values_list("bucket_start", "count")
    counts = dict(rows)
    first = min(counts) if counts else None
    points = []
    moment = start
    while moment < end:
        baseline = baseline_at(counts, moment, first_bucket=first, config=config)
        points.append(
            SignalPoint(
                bucket_start=moment,
                count=counts.get(moment, 0.0),
                baseline=baseline if baseline is not None else 0.0,
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
