"""A report counter in the inbox: one rolling item per source, not one item per point.

A Downdetector-style counter (Source kind "reports") sends a point every few minutes; each point
is still stored as Evidence (the detector's signal buckets and the chart read them) but kept out
of the inbox (`in_inbox=False`). What the editor checks instead is one rolling item per counter
that says where the counter stands now. It is raised again, as a new unverified item at the top
of the inbox, only when the counter's level changes; otherwise it is updated in place, keeping
its place and its verification.

Levels compare the counter's latest count with its usual count for that time:

    normal     below 2× the usual count (below the collector's spike ratio)
    elevated   from 2× to under 5× the usual count
    high       5× the usual count and above

The usual count is the baseline the monitor publishes with each point (stored by the collector
in `raw["baseline"]`); a monitor that publishes none is compared with the median of the points
it returned. The latest two points are read and the higher one counts: a monitor's last point
covers a window still filling up and would drop the level for a few minutes.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy, ngettext

from incidents.collectors.base import CollectedItem
from incidents.models import Evidence, Incident, Source

if TYPE_CHECKING:  # the evidence service imports this module
    from incidents.services.evidence import EvidenceBuilder

NORMAL, ELEVATED, HIGH = "normal", "elevated", "high"
LEVEL_LABELS = {
    NORMAL: gettext_lazy("normal"),
    ELEVATED: gettext_lazy("elevated"),
    HIGH: gettext_lazy("high"),
}
ELEVATED_RATIO = 2.0  # the reports collector's SPIKE_RATIO: a point it calls a spike
HIGH_RATIO = 5.0
ROLLING_KEY_PREFIX = "counter-level:"


@dataclass(frozen=True)
class CounterReading:
    level: str
    count: float
    usual: float | None
    at: datetime
    ratio: float


def counter_level(ratio: float) -> str:
    if ratio >= HIGH_RATIO:
        return HIGH
    if ratio >= ELEVATED_RATIO:
        return ELEVATED
    return NORMAL


def is_counter_point(source: Source, item: CollectedItem) -> bool:
    """A point of a report counter: stored for the chart, not checked one by one."""
    return source.kind == Source.Kind.REPORTS and item.signal_kind == Evidence.SignalKind.REPORTS


def _baseline(item: CollectedItem) -> float | None:
    value = item.raw.get("baseline") if isinstance(item.raw, dict) else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def counter_reading(points: Sequence[CollectedItem]) -> CounterReading | None:
    """Where the counter stands, from one run's points (any order)."""
    # (when, count, point) of the points that have both, oldest first.
    timed = sorted(
        (
            (p.published_at, p.signal_value, p)
            for p in points
            if p.published_at is not None and p.signal_value is not None
        ),
        key=lambda t: t[0],
    )
    if not timed:
        return None
    older = [count for _, count, _ in timed[:-2]] or [count for _, count, _ in timed]
    fallback = statistics.median(older)
    readings = []
    for at, count, point in timed[-2:]:
        usual = _baseline(point)
        reference = usual if usual is not None else fallback
        ratio = count / max(reference, 1.0)
        readings.append((ratio, at, count, usual if usual is not None else fallback))
    ratio, at, count, usual = max(readings, key=lambda r: r[0])
    return CounterReading(
        level=counter_level(ratio),
        count=count,
        usual=usual,
        at=at,
        ratio=ratio,
    )


def _summary(reading: CounterReading, points: Sequence[CollectedItem]) -> CollectedItem:
    """The rolling item's words, as a collected item (the evidence service sanitises it)."""
    values = {
        "level": LEVEL_LABELS[reading.level],
        "count": f"{reading.count:,.0f}",
        "time": f"{reading.at:%H:%M}",
    }
    reports = round(reading.count)
    if reading.usual is not None:
        title = ngettext(
            "Report counter %(level)s: %(count)s report at %(time)s UTC (usual: %(usual)s)",
            "Report counter %(level)s: %(count)s reports at %(time)s UTC (usual: %(usual)s)",
            reports,
        ) % {**values, "usual": f"{reading.usual:,.0f}"}
    else:
        title = (
            ngettext(
                "Report counter %(level)s: %(count)s report at %(time)s UTC",
                "Report counter %(level)s: %(count)s reports at %(time)s UTC",
                reports,
            )
            % values
        )
    newest = max(points, key=lambda p: p.published_at or reading.at)
    latest_spike = next(
        (
            p
            for p in sorted(points, key=lambda p: p.published_at or reading.at, reverse=True)
            if p.text
        ),
        None,
    )
    if reading.level == NORMAL:
        latest_spike = None  # nothing out of the ordinary to describe
    return CollectedItem(
        dedup_key="",
        signal_kind=Evidence.SignalKind.REPORTS,
        url=newest.url,
        title=title,
        text=latest_spike.text if latest_spike else "",
        published_at=reading.at,
        signal_value=reading.count,
        component_hints=list(latest_spike.component_hints) if latest_spike else [],
        raw={"level": reading.level, "usual": reading.usual, "ratio": round(reading.ratio, 2)},
        match_hints=False,
    )


def counter_roll_up(
    *,
    source: Source,
    items: Sequence[CollectedItem],
    now: datetime,
    builder: EvidenceBuilder,
    incident: Incident | None,
) -> Evidence | None:
    """Bring the counter's rolling item up to date after a run; call inside the run's write
    transaction. Returns the item raised when the level changed (or on the counter's first
    run), None when the current one was only updated or there was nothing to read."""
    points = [item for item in items if is_counter_point(source, item)]
    reading = counter_reading(points)
    if reading is None:
        return None
    summary = builder.build(_summary(reading, points))
    current = (
        Evidence.objects.filter(
            source=source, in_inbox=True, dedup_key__startswith=ROLLING_KEY_PREFIX
        )
        .order_by("-id")
        .first()
    )
    if current is not None and current.raw.get("level") == reading.level:
        # Same level: the item keeps its place in the inbox and its verification.
        for name in ("title", "text", "url", "published_at", "signal_value", "raw"):
            setattr(current, name, getattr(summary, name))
        current.component_hints = summary.component_hints
        current.save(
            update_fields=[
                "title",
                "text",
                "url",
                "published_at",
                "signal_value",
                "raw",
                "component_hints",
            ]
        )
        return None
    if current is not None:
        current.in_inbox = False
        current.save(update_fields=["in_inbox"])
    summary.dedup_key = f"{ROLLING_KEY_PREFIX}{now.isoformat()}"
    summary.incident = incident
    summary.in_inbox = True
    summary.save()
    return summary
