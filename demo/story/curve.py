"""Report counts of the demo story, one function of the bucket and the outage's start.

Both the backfill (the week before launch, written to the database) and the replayed report
counter (served live) read them from here, so the live points continue the backfilled week.
The shape comes from the constructed 2021 timeline the detector is tested on
(incidents/detection/timelines/whatsapp-2021-10-04.csv):

  * usual level: the timeline's quiet first week, matched by time of the week (Monday 09:00
    now reads Monday 09:00 of that week, smoothed over its neighbours), so nights are low and
    evenings high;
  * outage: from its start, the usual level times how far the 2021 counts rose above their own
    usual level the same number of minutes after the 2021 spike began.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from incidents.detection.replay import DEFAULT_TIMELINE, load_timeline
from incidents.detection.stats import BUCKET, WEEK, baseline_at, bucket_floor


@dataclass(frozen=True)
class StoryShape:
    first: datetime  # the timeline's first bucket, start of its quiet week
    counts: dict[datetime, float]
    spike_start: datetime
    ratios: dict[datetime, float]  # timeline bucket → count / its usual level, from the spike on

    def usual(self, bucket: datetime) -> float:
        """The median of the timeline's three buckets around the same time of the week: the
        recorded week has a few lone blips (one 35 among tens on a Sunday night) that a normal
        week must not carry, or the detector would rightly call them a problem."""
        offset = (bucket_floor(bucket) - self.first) % WEEK
        around = [
            self.counts.get(self.first + (offset + step) % WEEK, 0.0)
            for step in (-BUCKET, timedelta(0), BUCKET)
        ]
        return sorted(around)[1]

    def rise(self, offset: timedelta) -> float:
        """How many times the usual level, `offset` after the outage began (1 past the end of
        the recorded timeline: the service is back)."""
        return self.ratios.get(bucket_floor(self.spike_start + offset), 1.0)


@cache
def story_shape() -> StoryShape:
    timeline = load_timeline(DEFAULT_TIMELINE)
    counts = dict(timeline.points)
    first = timeline.points[0][0]
    spike = timeline.spike_start
    if spike is None:  # the shipped timeline names its spike; the story is built around it
        raise ValueError("the story's timeline has no spike_start")
    ratios = {}
    for moment, count in timeline.points:
        if moment + BUCKET <= spike:
            continue
        usual = baseline_at(counts, moment, first_bucket=first)
        ratios[moment] = count / max(usual or 1.0, 1.0)
    return StoryShape(first=first, counts=counts, spike_start=spike, ratios=ratios)


def story_count(bucket: datetime, *, outage_at: datetime) -> float:
    """Reports in the 5-minute bucket starting at `bucket` when the outage starts at
    `outage_at` (whole reports: a monitor counts people)."""
    shape = story_shape()
    usual = shape.usual(bucket)
    if bucket + BUCKET <= outage_at:
        return usual
    return float(round(usual * shape.rise(bucket - outage_at)))
