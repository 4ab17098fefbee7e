"""Spike statistics, free of the database so the live detector, the chart and the replay of a
recorded timeline run exactly the same arithmetic.

Baseline — the usual volume of a 5-minute bucket:
  * with 3+ weeks of history, the median of the same time of the week over the previous weeks
    (up to 4), taking the neighbouring buckets (±10 min) too;
  * with less, the median of the same time of day over the previous days (up to 7);
  * with under a day of history, none: the detector is still learning and only an official
    status page can raise it.
The median keeps one past outage (one high week out of four, one high day out of seven) from
raising the baseline.

Flags — how far one bucket is above its baseline:
  * warm: at least `possible_ratio` × baseline, `possible_min` signals, and `possible_z`
    standard deviations above it (Poisson: sqrt(baseline)), so a quiet night's 3 → 9 is noise;
  * hot: the same with the `likely_*` thresholds.

Levels — how long it stays there:
  * likely: `likely_buckets` hot buckets in a row among the latest ones, or an official status
    page reporting a major outage;
  * possible: a warm bucket among the latest two;
  * hysteresis: likely holds while a hot bucket remains in the last `likely_hold_buckets`, and
    possible holds while a warm one remains in the last `calm_buckets`, so a noisy decline
    does not open a second episode.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

BUCKET = timedelta(minutes=5)
DAY = timedelta(days=1)
WEEK = timedelta(days=7)

OK, POSSIBLE, LIKELY = "ok", "possible", "likely"
CALM, WARM, HOT = 0, 1, 2


@dataclass(frozen=True)
class DetectorConfig:
    window_buckets: int = 2
    baseline_weeks: int = 4
    weekly_min_weeks: int = 3
    daily_days: int = 7
    possible_ratio: float = 2.0
    possible_min: float = 10.0
    possible_z: float = 4.0
    likely_ratio: float = 3.0
    likely_min: float = 20.0
    likely_z: float = 6.0
    likely_buckets: int = 2
    likely_hold_buckets: int = 6
    calm_buckets: int = 3

    @property
    def recent_buckets(self) -> int:
        """How many latest buckets `next_level` needs to see."""
        return max(self.likely_buckets + 1, self.likely_hold_buckets, self.calm_buckets, 2)


DEFAULT_CONFIG = DetectorConfig()


def bucket_floor(moment: datetime) -> datetime:
    seconds = int(moment.timestamp()) // int(BUCKET.total_seconds()) * int(BUCKET.total_seconds())
    return datetime.fromtimestamp(seconds, tz=moment.tzinfo)


def _window(counts: Mapping[datetime, float], centre: datetime, width: int) -> list[float]:
    return [counts.get(centre + BUCKET * offset, 0.0) for offset in range(-width, width + 1)]


def baseline_at(
    counts: Mapping[datetime, float],
    moment: datetime,
    *,
    first_bucket: datetime | None,
    config: DetectorConfig = DEFAULT_CONFIG,
) -> float | None:
    """The usual count of the bucket starting at `moment`, from the history in `counts`
    (missing buckets after `first_bucket` count as 0). None while there is too little
    history."""
    if first_bucket is None:
        return None
    width = config.window_buckets
    earliest = first_bucket + BUCKET * width

    weeks = [k for k in range(1, config.baseline_weeks + 1) if moment - WEEK * k >= earliest]
    if len(weeks) >= config.weekly_min_weeks:
        values = [v for k in weeks for v in _window(counts, moment - WEEK * k, width)]
        return float(statistics.median(values))

    days = [d for d in range(1, config.daily_days + 1) if moment - DAY * d >= earliest]
    if days:
        values = [v for d in days for v in _window(counts, moment - DAY * d, width)]
        return float(statistics.median(values))
    return None


def z_score(count: float, baseline: float) -> float:
    return (count - baseline) / math.sqrt(baseline + 1.0)


def flag_for(count: float, baseline: float | None, config: DetectorConfig = DEFAULT_CONFIG) -> int:
    if baseline is None:
        return CALM
    z = z_score(count, baseline)
    if (
        count >= config.likely_min
        and count >= config.likely_ratio * baseline
        and z >= config.likely_z
    ):
        return HOT
    if (
        count >= config.possible_min
        and count >= config.possible_ratio * baseline
        and z >= config.possible_z
    ):
        return WARM
    return CALM


def ratio_of(count: float, baseline: float | None) -> float:
    if baseline is None:
        return 0.0
    return round(count / max(baseline, 1.0), 2)


def _longest_run(flags: Sequence[int], value: int) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag >= value else 0
        best = max(best, run)
    return best


def next_level(
    previous: str,
    flags: Sequence[int],
    *,
    official_major: bool = False,
    config: DetectorConfig = DEFAULT_CONFIG,
) -> tuple[str, str]:
    """(level, reason) from the flags of the latest buckets, oldest first, the last one being
    the current bucket."""
    if official_major:
        return LIKELY, "official"
    latest = list(flags[-(config.likely_buckets + 1) :])
    if _longest_run(latest, HOT) >= config.likely_buckets:
        return LIKELY, "volume"
    if previous == LIKELY and HOT in flags[-config.likely_hold_buckets :]:
        return LIKELY, "volume"
    if any(flag >= WARM for flag in flags[-2:]):
        return POSSIBLE, "volume"
    if previous in (LIKELY, POSSIBLE) and any(
        flag >= WARM for flag in flags[-config.calm_buckets :]
    ):
        return POSSIBLE, "volume"
    return OK, ""


@dataclass(frozen=True)
class BucketView:
    bucket_start: datetime
    count: float
    baseline: float | None
    flag: int


def recent_views(
    counts: Mapping[datetime, float],
    latest_bucket: datetime,
    *,
    first_bucket: datetime | None,
    config: DetectorConfig = DEFAULT_CONFIG,
) -> list[BucketView]:
    """Count, baseline and flag of the `config.recent_buckets` buckets up to `latest_bucket`."""
    views = []
    for index in range(config.recent_buckets - 1, -1, -1):
        moment = latest_bucket - BUCKET * index
        count = counts.get(moment, 0.0)
        baseline = baseline_at(counts, moment, first_bucket=first_bucket, config=config)
        views.append(BucketView(moment, count, baseline, flag_for(count, baseline, config)))
    return views
