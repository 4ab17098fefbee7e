"""Replaying a recorded (or constructed) timeline of 5-minute signal counts through the
detector, bucket by bucket, as the live detector would have seen it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from incidents.detection.stats import (
    BUCKET,
    DEFAULT_CONFIG,
    OK,
    DetectorConfig,
    baseline_at,
    flag_for,
    next_level,
    ratio_of,
)

TIMELINES_DIR = Path(__file__).resolve().parent / "timelines"
DEFAULT_TIMELINE = TIMELINES_DIR / "whatsapp-2021-10-04.csv"


@dataclass(frozen=True)
class Timeline:
    points: list[tuple[datetime, float]]
    meta: dict[str, str]

    @property
    def spike_start(self) -> datetime | None:
        value = self.meta.get("spike_start")
        return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Transition:
    at: datetime  # when the level was reached: the end of the bucket that tipped it
    level: str
    previous: str
    count: float
    baseline: float | None
    ratio: float


def load_timeline(path: Path | str = DEFAULT_TIMELINE) -> Timeline:
    """CSV with `bucket_start,reports` rows; `# key: value` comment lines are metadata."""
    meta: dict[str, str] = {}
    rows: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                key, sep, value = line[1:].partition(":")
                if sep and key.strip() and " " not in key.strip():
                    meta[key.strip()] = value.strip()
            elif line.strip():
                rows.append(line)
    points = []
    for row in csv.DictReader(rows):
        moment = datetime.fromisoformat(row["bucket_start"])
        if moment.tzinfo is None:
            raise ValueError(f"bucket_start without a time zone: {row['bucket_start']}")
        points.append((moment, float(row["reports"])))
    points.sort()
    return Timeline(points=points, meta=meta)


def replay(timeline: Timeline, *, config: DetectorConfig = DEFAULT_CONFIG) -> list[Transition]:
    """Level transitions, evaluating once per bucket as soon as the bucket is complete."""
    counts: dict[datetime, float] = {}
    flags: list[int] = []
    level = OK
    first = timeline.points[0][0] if timeline.points else None
    transitions = []
    for moment, count in timeline.points:
        counts[moment] = count
        baseline = baseline_at(counts, moment, first_bucket=first, config=config)
        flags.append(flag_for(count, baseline, config))
        new_level, _reason = next_level(level, flags[-config.recent_buckets :], config=config)
        if new_level != level:
            transitions.append(
                Transition(
                    at=moment + BUCKET,
                    level=new_level,
                    previous=level,
                    count=count,
                    baseline=baseline,
                    ratio=ratio_of(count, baseline),
                )
            )
            level = new_level
    return transitions
