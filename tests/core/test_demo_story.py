"""The demo story in the database: `scripts/run` writes a normal past week of report counts
relative to now (the chart and the detector's usual level have data, and the detector stays
quiet on it), the replayed outage is gathered like any source and raises a suspected incident,
and a second launch starts a fresh story without duplicating anything or touching what an
editor did."""

import statistics
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Sum

from demo.seeding import seed_demo
from demo.story.backfill import BACKFILL_SOURCE, RETIRED_PREFIX, story_start
from demo.story.curve import story_shape
from demo.story.routes import (
    REPORT_COUNTER,
    SOCIAL,
    STATUS_PAGE,
    StoryClock,
    counter_document,
    story_routes,
)
from incidents.detection.services import detector_evaluate, detector_views
from incidents.detection.stats import BUCKET, WEEK, bucket_floor
from incidents.gathering import gather_source
from incidents.models import DetectorState, Evidence, Incident, Service, SignalBucket, Source
from incidents.selectors.signals import signal_series
from incidents.services.counters import ROLLING_KEY_PREFIX
from incidents.services.verification import evidence_verify
from outagedesk.lib.replay_server import ReplayServer
from tests.factories import make_user


def _points(counter) -> int:
    """The counter's points (its rolling inbox item aside)."""
    return counter.evidence.exclude(dedup_key__startswith=ROLLING_KEY_PREFIX).count()


class MovableClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _overall(service, start, end):
    return dict(
        SignalBucket.objects.filter(
            service=service, component="", region="", bucket_start__gte=start, bucket_start__lt=end
        ).values_list("bucket_start", "count")
    )


@pytest.mark.django_db
def test_the_backfill_is_a_normal_week_up_to_now_and_the_detector_stays_quiet_on_it():
    seed_demo(replay_url="http://127.0.0.1:9/")
    service = Service.objects.get(slug="whatsapp")
    now = datetime.now(UTC)
    started = story_start(service=service, clock=StoryClock(now, now + timedelta(minutes=2)))

    end = bucket_floor(now)
    week = _overall(service, end - WEEK, end + WEEK)
    assert started.points == 2016 and started.until == end
    assert min(week) == end - WEEK and max(week) == end - BUCKET
    assert len(week) == 2016  # every 5 minutes of the week before now, nothing after it
    # Quieter at night than in the evening, as the 2021 week it follows.
    by_hour = {h: [c for b, c in week.items() if b.hour == h] for h in (3, 19)}
    assert 0 < statistics.median(by_hour[3]) < statistics.median(by_hour[19]) / 2

    # Stored as gathering stores a counter's points, and marked as demo data.
    source = Source.objects.get(service=service, name=BACKFILL_SOURCE)
    assert not source.is_enabled and "Demo" in source.public_label
    points = source.evidence.all()
    assert points.count() == 2016 and not points.filter(in_inbox=True).exists()
    assert all(p.raw["demo"] == "backfill" for p in points[:50])

    # The chart of the last day has counts and a usual level to compare them with.
    day = signal_series(service=service, start=now - timedelta(days=1), end=now)
    assert all(p.count > 0 and p.baseline > 0 for p in day[:-1])
    assert detector_views(service=service, now=now)[-1].baseline is not None

    # The detector, run through the week as the live one runs, never leaves "no problem".
    moment = end - WEEK + timedelta(hours=1)
    while moment <= now:
        assert detector_evaluate(service=service, now=moment).level == "ok", moment
        moment += timedelta(hours=1)
    assert detector_evaluate(service=service, now=now).level == "ok"
    assert not Incident.objects.filter(status=Incident.Status.SUSPECTED).exists()


@pytest.fixture
def story_replay(transactional_db, allow_loopback_fetch):
    clock = MovableClock(datetime.now(UTC))
    holder: dict[str, Any] = {}

    def route(name):
        return lambda now: holder["routes"][name](now)

    # Each launch has its own StoryClock: the server asks the routes of the latest one.
    names = [REPORT_COUNTER, STATUS_PAGE, *SOCIAL]
    server = ReplayServer(
        settings.FIXTURE_SOURCES_DIR, routes={n: route(n) for n in names}, clock=clock
    ).start()
    try:
        yield server, clock, holder
    finally:
        server.stop()


def _launch(service, holder, launched_at):
    story = StoryClock(launched_at, launched_at + timedelta(minutes=2))
    holder["routes"] = story_routes(settings.FIXTURE_SOURCES_DIR, story)
    return story, story_start(service=service, clock=story)


def _gather_story(service, at):
    for source in service.sources.filter(is_enabled=True).exclude(kind__in=["probe", "reader"]):
        outcome = gather_source(source.pk, now=at, force=True)
        assert outcome.status in ("ok", "not_modified"), (source.name, outcome.error)


def test_a_second_launch_starts_a_fresh_story_without_duplicating_rows(story_replay):
    server, clock, holder = story_replay
    seed_demo(replay_url=server.url)
    service = Service.objects.get(slug="whatsapp")
    editor = make_user("story-editor", "editor")
    first = datetime.now(UTC)
    story, _started = _launch(service, holder, first)

    # The outage, 25 minutes in: gathered from the replay, the detector raises the draft.
    clock.now = first + timedelta(minutes=25)
    _gather_story(service, clock.now)
    assert detector_evaluate(service=service, now=clock.now).level == "likely"
    suspected = Incident.objects.get(status=Incident.Status.SUSPECTED, detected_by_detector=True)
    counter = service.sources.get(kind="reports", is_enabled=True)
    points = (bucket_floor(clock.now) - story.first_live_bucket) // BUCKET + 1
    assert _points(counter) == points  # launch to 25 min in
    live = _overall(service, story.first_live_bucket, clock.now + BUCKET)
    assert max(live.values()) > 20 * story_shape().usual(max(live))
    # What an editor did: verified a post, opened an incident of their own.
    post = Evidence.objects.filter(source__kind="mastodon").first()
    assert post is not None
    evidence_verify(actor=editor, evidence=post)
    own = Incident.objects.create(
        service=service, slug="editor-own", title="Editor's own", status="investigating"
    )
    evidence_before = Evidence.objects.count()

    second = first + timedelta(minutes=30)
    story2, started = _launch(service, holder, second)

    # The week before the second launch is the normal week again: the first outage is gone,
    # one row per bucket, nothing added twice.
    end = story2.first_live_bucket
    week = _overall(service, end - WEEK, end + WEEK)
    shape = story_shape()
    assert len(week) == 2016
    assert all(count == pytest.approx(shape.usual(bucket)) for bucket, count in week.items())
    assert (
        not SignalBucket.objects.filter(service=service, count__gt=1e-6)
        .exclude(component="", region="")
        .exists()
    )
    assert Source.objects.get(name=BACKFILL_SOURCE).evidence.count() == 2016
    assert Evidence.objects.count() < evidence_before
    assert started.removed_evidence > 0 and started.removed_incidents == 1
    assert not Incident.objects.filter(pk=suspected.pk).exists()
    assert not DetectorState.objects.filter(service=service).exclude(level="ok").exists()
    # The editor's work stays: their incident, and the post they verified (kept out of the
    # way of the new story's copy).
    assert Incident.objects.filter(pk=own.pk).exists()
    post.refresh_from_db()
    assert post.state == "verified" and post.dedup_key.startswith(RETIRED_PREFIX)

    # The second story plays again from the start: quiet before its outage, gathered fresh
    # after it, and its totals those of one story, not two.
    clock.now = second + timedelta(minutes=1)
    _gather_story(service, clock.now)
    assert detector_evaluate(service=service, now=clock.now).level == "ok"
    assert (
        not Evidence.objects.filter(source__kind="mastodon")
        .exclude(dedup_key__startswith=RETIRED_PREFIX)
        .exists()
    )
    clock.now = second + timedelta(minutes=25)
    _gather_story(service, clock.now)
    assert detector_evaluate(service=service, now=clock.now).level == "likely"
    fresh = Evidence.objects.filter(source__kind="mastodon").exclude(
        dedup_key__startswith=RETIRED_PREFIX
    )
    assert fresh.count() == 3
    points = (bucket_floor(clock.now) - story2.first_live_bucket) // BUCKET + 1
    assert _points(counter) == points
    total = SignalBucket.objects.filter(
        service=service, component="", region="", bucket_start__gte=story2.first_live_bucket
    ).aggregate(total=Sum("count"))["total"]
    # The counter's points as the replay serves them now, plus a few posts' signals; a story
    # counted twice would double it. (Compared with the second story's own counter, not the
    # first's: 30 minutes later in the day the usual level, and so the outage, differ.)
    served = counter_document(clock.now, story2, [])["time_series"]
    expected = sum(point["reports_value"] for point in served)
    assert expected <= total < 1.2 * expected
