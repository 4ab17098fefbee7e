"""The demo story's replay, through the real local HTTP server with a clock the test moves: the
report counter is at its usual level before the outage and rises like the 2021 timeline after
it; the status page and the social searches say "all good" before and serve the outage
captures, moved to the story's time, after."""

import json
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from demo.story.curve import story_shape
from demo.story.routes import StoryClock, shift_times, story_routes
from incidents.detection.stats import BUCKET, bucket_floor
from outagedesk.lib.replay_server import ReplayServer

LAUNCH = datetime(2026, 3, 2, 9, 3, 30, tzinfo=UTC)  # a Monday morning
STORY = StoryClock(launched_at=LAUNCH, outage_at=LAUNCH + timedelta(minutes=2))


class MovableClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def replay():
    clock = MovableClock(LAUNCH)
    routes = story_routes(settings.FIXTURE_SOURCES_DIR, STORY)
    with ReplayServer(settings.FIXTURE_SOURCES_DIR, routes=routes, clock=clock) as server:
        yield server, clock


def _get(server, name, etag=None):
    request = urllib.request.Request(server.url + name)
    if etag:
        request.add_header("If-None-Match", etag)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, None


def _series(server):
    status, headers, body = _get(server, "downdetector_outage_report.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    return body


def test_the_report_counter_is_quiet_before_the_outage_and_rises_after(replay):
    server, clock = replay
    usual = story_shape().usual

    clock.now = LAUNCH + timedelta(seconds=80)  # 40 seconds before the outage
    quiet = _series(server)
    points = quiet["time_series"]
    # From the launch's bucket (the backfill holds the week before) to now, every 5 minutes.
    assert points[0]["date"] == f"{bucket_floor(LAUNCH):%Y-%m-%d %H:%M:%S}"
    assert all(p["reports_value"] <= 1.2 * p["baseline_value"] for p in points)
    assert quiet["most_reported_problems"] == []

    clock.now = LAUNCH + timedelta(minutes=32)
    rising = _series(server)
    complete = rising["time_series"][:-1]
    assert (
        len(rising["time_series"]) == (bucket_floor(clock.now) - bucket_floor(LAUNCH)) // BUCKET + 1
    )
    after = [p for p in complete if p["date"] >= f"{STORY.outage_at + BUCKET:%Y-%m-%d %H:%M}"]
    assert after and all(p["reports_value"] >= 20 * p["baseline_value"] for p in after)
    assert [p["reports_value"] for p in after[:3]] == sorted(p["reports_value"] for p in after[:3])
    assert {p["name"] for p in rising["most_reported_problems"]} >= {"Messaging"}
    # Before the outage, the points served are the usual level the backfill wrote.
    first = complete[0]
    moment = datetime.fromisoformat(first["date"]).replace(tzinfo=UTC)
    assert first["reports_value"] == first["baseline_value"] == usual(moment)

    # The point still filling covers the elapsed share of its bucket, count and usual alike.
    latest = rising["time_series"][-1]
    share = (clock.now - bucket_floor(clock.now)) / BUCKET
    moment = bucket_floor(clock.now)
    assert latest["baseline_value"] == pytest.approx(usual(moment) * share, abs=0.1)


def test_the_status_page_and_social_searches_switch_at_the_outage(replay):
    server, clock = replay
    clock.now = STORY.outage_at - timedelta(seconds=1)
    _status, headers, page = _get(server, "statuspage_summary_outage.json")
    assert page["status"]["indicator"] == "none" and page["incidents"] == []
    assert {c["status"] for c in page["components"]} == {"operational"}
    assert _get(server, "mastodon_tag_timeline.json")[2] == []
    assert _get(server, "hn_algolia_search_outage.json")[2]["hits"] == []
    assert _get(server, "reddit_search.json")[2]["data"]["children"] == []
    # A poller's conditional request gets 304 while nothing changes.
    assert _get(server, "statuspage_summary_outage.json", headers["ETag"])[0] == 304

    clock.now = STORY.outage_at
    status, _headers, page = _get(server, "statuspage_summary_outage.json", headers["ETag"])
    assert status == 200 and page["status"]["indicator"] == "critical"
    (incident,) = page["incidents"]
    started = datetime.fromisoformat(incident["created_at"])
    assert abs(started - STORY.outage_at) < timedelta(minutes=15)
    posts = _get(server, "mastodon_tag_timeline.json")[2]
    assert len(posts) == 3
    for post in posts:
        created = datetime.fromisoformat(post["created_at"].replace("Z", "+00:00"))
        assert STORY.outage_at <= created <= STORY.outage_at + timedelta(hours=1)
    # Files without a route are still served as recorded.
    assert _get(server, "statuspage_summary.json")[0] == 200


def test_times_move_in_their_own_format_and_far_ones_stay():
    delta = timedelta(days=10, minutes=5)
    text = (
        '{"a": "2025-10-14T15:50:31.777Z", "b": "2025-10-14T17:51:00+02:00", '
        '"c": "2025-10-14 16:00:00", "d": 1760457000, "e": 1760457000.0, '
        '"account": "2023-09-18T11:02:44.317Z", "id": "115372211239456789"}'
    )
    moved = json.loads(shift_times(text, delta))
    assert moved["a"] == "2025-10-24T15:55:31.777Z"
    assert moved["b"] == "2025-10-24T17:56:00+02:00"
    assert moved["c"] == "2025-10-24 16:05:00"
    assert moved["d"] == 1760457000 + int(delta.total_seconds())
    assert moved["e"] == 1760457000.0 + delta.total_seconds()
    assert moved["account"] == "2023-09-18T11:02:44.317Z"
    assert moved["id"] == "115372211239456789"
