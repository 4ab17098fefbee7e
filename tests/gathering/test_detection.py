"""Early detection: on the replayed October 2021 outage, on live signal buckets, and from an
official status page; suspected incidents and editor alerts once per episode."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from incidents.detection.buckets import signal_buckets_add
from incidents.detection.replay import load_timeline, replay
from incidents.detection.services import detector_evaluate
from incidents.detection.stats import BUCKET, WEEK, baseline_at
from incidents.gathering import gather_source
from incidents.models import DetectorState, Evidence, Incident, SignalBucket, Source
from outagedesk.models import AuditEvent
from tests.factories import make_incident, make_source

T0 = datetime(2025, 10, 14, 15, 0, tzinfo=UTC)


def test_replay_fires_likely_within_15_minutes_and_is_quiet_on_a_normal_week():
    timeline = load_timeline()
    spike = timeline.spike_start
    assert spike == datetime(2021, 10, 4, 15, 39, tzinfo=UTC)
    transitions = replay(timeline)
    assert [t for t in transitions if t.at <= spike] == []  # seven days of daily peaks: quiet
    likely = next(t for t in transitions if t.level == "likely")
    assert spike < likely.at <= spike + timedelta(minutes=15)
    assert transitions[-1].level == "ok"  # and it calms down once the service is back
    assert len([t for t in transitions if t.level == "likely"]) == 1  # one episode


def test_replay_outage_command_prints_each_state():
    out = StringIO()
    call_command("replay_outage", stdout=out)
    text = out.getvalue()
    assert "Spike starts: 2021-10-04 15:39 UTC" in text
    assert "2021-10-04 15:50 UTC  possible -> likely" in text
    assert "'likely' reached 11 minutes after the spike began." in text
    assert "State changes before the spike: 0 (quiet on normal days)" in text


def test_baseline_ignores_one_past_outage_at_the_same_hour():
    moment = T0
    counts = {}
    start = moment - 4 * WEEK - 10 * BUCKET
    for index in range(int((moment - start) / BUCKET)):
        counts[start + index * BUCKET] = 50.0
    for offset in range(-3, 4):  # last week, same hour: an outage 100x the volume
        counts[moment - WEEK + offset * BUCKET] = 5000.0
    assert baseline_at(counts, moment, first_bucket=start) == 50.0


def _flat_history(service, *, days=2, per_bucket=20.0, end=T0):
    start = end - timedelta(days=days)
    SignalBucket.objects.bulk_create(
        SignalBucket(service=service, bucket_start=start + i * BUCKET, count=per_bucket)
        for i in range(int((end - start) / BUCKET))
    )


def _spike(service, start, buckets, *, count=400.0, component="calls", region="FR"):
    counts = {}
    for index in range(buckets):
        moment = start + index * BUCKET
        counts[(moment, "", "")] = count
        counts[(moment, component, "")] = count * 0.8
        counts[(moment, "", region)] = count * 0.7
    signal_buckets_add(service_id=service.pk, counts=counts)


@pytest.fixture
def alerts_on(settings, hostile_server):
    settings.FETCH_ALLOW_PRIVATE = True
    settings.STAFF_ALERT_EMAILS = ["desk@example.org"]
    settings.STAFF_ALERT_WEBHOOK_URL = f"{hostile_server.url}/webhook"
    return hostile_server


def test_a_spike_opens_one_suspected_incident_and_alerts_once(
    whatsapp, alerts_on, django_capture_on_commit_callbacks
):
    _flat_history(whatsapp)
    report = make_source(whatsapp, "mastodon", "https://mastodon.example/api")
    post = Evidence.objects.create(
        source=report,
        service=whatsapp,
        text="appels impossibles",
        observed_at=T0 + timedelta(minutes=2),
        published_at=T0 + timedelta(minutes=1),
        dedup_key="p1",
    )
    old = Evidence.objects.create(
        source=report,
        service=whatsapp,
        observed_at=T0 - timedelta(hours=5),
        published_at=T0 - timedelta(hours=5),
        dedup_key="p0",
    )
    assert detector_evaluate(service=whatsapp, now=T0 + timedelta(minutes=1)).level == "ok"

    _spike(whatsapp, T0, 1)
    state = detector_evaluate(service=whatsapp, now=T0 + timedelta(minutes=4))
    assert state.level == "possible" and state.suspected_incident is None

    _spike(whatsapp, T0 + BUCKET, 1)
    with django_capture_on_commit_callbacks(execute=True):
        state = detector_evaluate(service=whatsapp, now=T0 + timedelta(minutes=6))
    assert state.level == "likely" and state.ratio == 20.0
    incident = state.suspected_incident
    assert incident.status == Incident.Status.SUSPECTED
    assert incident.is_public is False and incident.detected_by_detector is True
    assert incident.started_at == T0
    assert list(incident.components.values_list("slug", flat=True)) == ["calls"]
    assert incident.regions == ["FR"]
    assert list(incident.evidence.all()) == [post]  # the episode's evidence, not older posts
    old.refresh_from_db()
    assert old.incident is None

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["desk@example.org"]
    assert "WhatsApp: problem likely" in mail.outbox[0].subject
    assert "20 times the usual volume" in mail.outbox[0].body
    assert len(alerts_on.posts) == 1
    payload = alerts_on.posts[0]
    assert payload["event"] == "detector.likely" and payload["incident"]["slug"] == incident.slug
    assert "WhatsApp: problem likely" in payload["text"]

    # Still likely a few minutes later: the same episode, no second incident or alert.
    _spike(whatsapp, T0 + 2 * BUCKET, 1)
    with django_capture_on_commit_callbacks(execute=True):
        state = detector_evaluate(service=whatsapp, now=T0 + timedelta(minutes=11))
    assert state.level == "likely" and state.suspected_incident == incident
    assert Incident.objects.filter(detected_by_detector=True).count() == 1
    assert len(mail.outbox) == 1 and len(alerts_on.posts) == 1

    # Evidence arriving during the episode joins the suspected incident.
    fresh = Evidence.objects.create(source=report, service=whatsapp, observed_at=T0, dedup_key="p2")
    from incidents.services.evidence import current_incident_for

    assert current_incident_for(whatsapp.pk) == incident and fresh.incident is None

    # Back to normal: after the hold, the episode ends.
    state = detector_evaluate(service=whatsapp, now=T0 + timedelta(minutes=50))
    assert state.level == "ok" and state.episode_started_at is None
    assert state.suspected_incident is None and state.alerted_at is None
    incident.refresh_from_db()
    assert incident.status == Incident.Status.SUSPECTED  # editors decide, not the detector

    # A new episode later is a new suspected incident and a new alert.
    later = T0 + timedelta(hours=3)
    _spike(whatsapp, later, 2)
    with django_capture_on_commit_callbacks(execute=True):
        state = detector_evaluate(service=whatsapp, now=later + timedelta(minutes=6))
    assert state.level == "likely" and state.suspected_incident != incident
    assert len(mail.outbox) == 2 and len(alerts_on.posts) == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"detector.level_changed", "incident.suspected_opened", "detector.alert_sent"} <= actions


def test_no_alert_channels_configured_sends_nothing(
    whatsapp, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_ALERT_EMAILS = []
    settings.STAFF_ALERT_WEBHOOK_URL = ""
    _flat_history(whatsapp)
    _spike(whatsapp, T0, 2)
    with django_capture_on_commit_callbacks(execute=True):
        state = detector_evaluate(service=whatsapp, now=T0 + timedelta(minutes=6))
    assert state.level == "likely" and state.alerted_at is not None
    assert mail.outbox == []


def test_a_quiet_service_with_no_history_is_learning_not_alarmed(whatsapp):
    _spike(whatsapp, T0, 3, count=80)
    assert detector_evaluate(service=whatsapp, now=T0 + timedelta(minutes=14)).level == "ok"


def test_small_numbers_are_noise_at_night(whatsapp):
    _flat_history(whatsapp, per_bucket=2)
    _spike(whatsapp, T0, 2, count=7)  # 3.5x, but only 7 reports
    assert detector_evaluate(service=whatsapp, now=T0 + timedelta(minutes=6)).level == "ok"


def test_an_official_major_outage_counts_at_once(
    whatsapp, allow_loopback_fetch, django_capture_on_commit_callbacks, settings
):
    settings.STAFF_ALERT_EMAILS = ["desk@example.org"]
    source = Source.objects.get(service=whatsapp, name="WhatsApp status page (summary)")
    gather_source(source.pk, force=True)
    with django_capture_on_commit_callbacks(execute=True):
        state = detector_evaluate(service=whatsapp)  # no volume history at all
    assert state.level == "likely"
    incident = state.suspected_incident
    assert incident.impact == Incident.Impact.MAJOR and not incident.is_public
    assert "official status page reports a major outage" in mail.outbox[0].body

    # A page we can no longer read says nothing about now.
    Source.objects.filter(pk=source.pk).update(last_success_at=T0 - timedelta(days=3))
    assert detector_evaluate(service=whatsapp).level == "ok"


def test_an_official_page_back_to_operational_ends_the_episode(
    whatsapp, hostile_server, allow_loopback_fetch
):
    summary: dict[str, Any] = {
        "page": {"id": "p1", "name": "Status", "url": "https://status.example",
                 "updated_at": "2025-10-14T17:00:00Z"},
        "components": [{"id": "c1", "name": "Message delivery", "status": "major_outage",
                        "updated_at": "2025-10-14T16:00:00Z"}],
        "status": {"indicator": "major", "description": "Partial System Outage"},
    }  # fmt: skip
    source = make_source(whatsapp, "statuspage", f"{hostile_server.url}/x-search", tier="official")
    Source.objects.filter(pk=source.pk).update(owner="meta")  # WhatsApp's own page
    hostile_server.x_response = summary
    gather_source(source.pk, force=True)
    assert detector_evaluate(service=whatsapp).level == "likely"

    summary["components"][0].update(status="operational", updated_at="2025-10-14T18:00:00Z")
    summary["page"]["updated_at"] = "2025-10-14T18:00:01Z"
    summary["status"] = {"indicator": "none", "description": "All Systems Operational"}
    assert gather_source(source.pk, force=True).created == 2
    assert detector_evaluate(service=whatsapp).level == "ok"
    assert DetectorState.objects.get(service=whatsapp).episode_started_at is None


def test_signal_series_shows_the_detectors_baseline(whatsapp):
    from incidents.selectors.signals import signal_series

    _flat_history(whatsapp, per_bucket=20)
    _spike(whatsapp, T0, 1)
    points = signal_series(service=whatsapp, start=T0 - BUCKET, end=T0 + 2 * BUCKET)
    assert [(p.count, p.baseline) for p in points] == [(20, 20), (400, 20), (0, 20)]
    assert [p.baseline for p in signal_series(service=whatsapp, start=T0 - timedelta(days=3),
                                              end=T0 - timedelta(days=3) + BUCKET)] == [0]  # fmt: skip


def test_an_alert_task_delivered_twice_sends_once(whatsapp, alerts_on):
    from incidents.detection.alerts import staff_alert_send

    incident = make_incident(service=whatsapp, slug="s", title="t")
    assert staff_alert_send(incident_id=incident.pk, reason="volume") == {
        "email": True,
        "webhook": True,
    }
    assert staff_alert_send(incident_id=incident.pk, reason="volume") == {
        "email": False,
        "webhook": False,
    }
    assert len(mail.outbox) == 1 and len(alerts_on.posts) == 1


def test_a_failed_webhook_is_retried_not_marked_sent(whatsapp, alerts_on, settings):
    from incidents.detection.alerts import staff_alert_send
    from outagedesk.lib.fetch import FetchHTTPError

    settings.STAFF_ALERT_EMAILS = []
    settings.STAFF_ALERT_WEBHOOK_URL = f"{alerts_on.url}/error"
    incident = make_incident(service=whatsapp, slug="s", title="t")
    with pytest.raises(FetchHTTPError):
        staff_alert_send(incident_id=incident.pk, reason="volume")
    settings.STAFF_ALERT_WEBHOOK_URL = f"{alerts_on.url}/webhook"
    assert staff_alert_send(incident_id=incident.pk, reason="volume")["webhook"] is True
