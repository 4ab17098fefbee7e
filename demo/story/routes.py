"""What the local replay serves for the demo's sources while the story runs: the same recorded
formats as the files in the fixtures folder, as a function of the time.

Before the outage starts, every source says "all good": the report counter shows its usual
level, the status page is all operational with no incident, the social searches find nothing.
From the start, the report counter rises like the 2021 timeline and the status page and social
searches serve the outage captures, their times moved so the captured outage starts when the
story's does.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from demo.story.curve import story_count, story_shape
from incidents.detection.stats import BUCKET, bucket_floor

REPORT_COUNTER = "downdetector_outage_report.json"
STATUS_PAGE = "statuspage_summary_outage.json"
# Social search captures → the dotted path of their list of results.
SOCIAL = {
    "mastodon_tag_timeline.json": "",
    "bluesky_search_posts.json": "posts",
    "reddit_search.json": "data.children",
    "hn_algolia_search_outage.json": "hits",
}
# When the outage of the constructed captures began (demo/sources/README.md).
CAPTURED_OUTAGE_START = datetime(2025, 10, 14, 15, 42, tzinfo=UTC)
# Times this close to the captured outage are moved with it; others (an account's creation
# date) are left as recorded.
SHIFT_WINDOW = timedelta(days=3)


@dataclass(frozen=True)
class StoryClock:
    """When the story was launched and when its outage starts."""

    launched_at: datetime
    outage_at: datetime

    @property
    def first_live_bucket(self) -> datetime:
        """The first bucket the live counter serves; the backfill stops before it."""
        return bucket_floor(self.launched_at)


def _dump(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def counter_document(now: datetime, clock: StoryClock, problems: list) -> dict:
    """The report counter as a Downdetector-style monitor publishes it, one point per 5
    minutes from the story's launch to now. The current point covers a window still filling,
    so its count and its usual count are the elapsed share of the whole bucket's: the point
    keeps the same ratio to its usual level while it fills, and is called a spike (or not)
    once and for all."""
    shape = story_shape()
    started = now >= clock.outage_at
    series = []
    bucket = clock.first_live_bucket
    latest = bucket_floor(now)
    while bucket <= latest:
        share = min(1.0, (now - bucket) / BUCKET) if bucket == latest else 1.0
        # Until the outage starts nothing anticipates it, not even the bucket it will start in.
        value = story_count(bucket, outage_at=clock.outage_at) if started else shape.usual(bucket)
        series.append(
            {
                "date": f"{bucket:%Y-%m-%d %H:%M:%S}",
                "reports_value": float(round(value * share)),
                "baseline_value": round(shape.usual(bucket) * share, 1),
            }
        )
        bucket += BUCKET
    return {"time_series": series, "most_reported_problems": problems if started else []}


_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?P<sep>[T ])(?P<time>\d{2}:\d{2}:\d{2})(?P<fraction>\.\d+)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?"
)
_EPOCH = re.compile(r"(?<![\d.\w])(?P<seconds>1\d{9})(?P<fraction>\.\d+)?(?![\d\w])")


def shift_times(text: str, delta: timedelta) -> str:
    """`text` with every time near the captured outage (ISO 8601 or Unix seconds) moved by
    `delta`, each written back in its own format and zone."""

    def iso(match: re.Match) -> str:
        zone = match["zone"] or ""
        moment = datetime.fromisoformat(
            f"{match['date']}T{match['time']}{'+00:00' if zone in ('', 'Z') else zone}"
        )
        if abs(moment - CAPTURED_OUTAGE_START) > SHIFT_WINDOW:
            return match[0]
        moved = moment + delta
        return f"{moved:%Y-%m-%d}{match['sep']}{moved:%H:%M:%S}{match['fraction'] or ''}{zone}"

    def epoch(match: re.Match) -> str:
        moment = datetime.fromtimestamp(int(match["seconds"]), tz=UTC)
        if abs(moment - CAPTURED_OUTAGE_START) > SHIFT_WINDOW:
            return match[0]
        return f"{int((moment + delta).timestamp())}{match['fraction'] or ''}"

    return _EPOCH.sub(epoch, _ISO.sub(iso, text))


def _at_path(document, path: str):
    parent, key = None, None
    current = document
    for part in [p for p in path.split(".") if p]:
        parent, key, current = current, part, current[part]
    return parent, key


def quiet_search(document, path: str):
    """The same search with nothing found."""
    quiet = copy.deepcopy(document)
    if not path:
        return []
    parent, key = _at_path(quiet, path)
    parent[key] = []
    for count in ("hitsTotal", "nbHits", "dist"):
        if count in parent:
            parent[count] = 0
    return quiet


def quiet_status_page(document: dict) -> dict:
    """The same status page on an ordinary day: everything operational, no incident."""
    quiet = copy.deepcopy(document)
    quiet["status"] = {"indicator": "none", "description": "All Systems Operational"}
    for component in quiet.get("components", []):
        component["status"] = "operational"
    quiet["incidents"] = []
    return quiet


def _switching(quiet: bytes, outage_text: str, clock: StoryClock) -> Callable[[datetime], bytes]:
    moved = shift_times(outage_text, clock.outage_at - CAPTURED_OUTAGE_START).encode("utf-8")

    def serve(now: datetime) -> bytes:
        return moved if now >= clock.outage_at else quiet

    return serve


def story_routes(root: Path, clock: StoryClock) -> dict[str, Callable[[datetime], bytes]]:
    """The replay's time-dependent routes, for the captures found in `root`."""
    routes: dict[str, Callable[[datetime], bytes]] = {}
    counter = root / REPORT_COUNTER
    problems: list = []
    if counter.is_file():
        problems = json.loads(counter.read_text("utf-8")).get("most_reported_problems") or []
    routes[REPORT_COUNTER] = lambda now: _dump(counter_document(now, clock, problems))
    status = root / STATUS_PAGE
    if status.is_file():
        text = status.read_text("utf-8")
        routes[STATUS_PAGE] = _switching(_dump(quiet_status_page(json.loads(text))), text, clock)
    for name, path in SOCIAL.items():
        capture = root / name
        if capture.is_file():
            text = capture.read_text("utf-8")
            routes[name] = _switching(_dump(quiet_search(json.loads(text), path)), text, clock)
    return routes
