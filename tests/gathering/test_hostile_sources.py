"""Sources that misbehave: each is marked failing with a reason an editor can read and backs
off; none stops the others in the same gathering cycle; nothing is invented; nothing a hostile
source sends is stored in a form that could run in a browser."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from incidents.gathering import gather_cycle, gather_source
from incidents.models import Evidence, Source
from tests.factories import make_source

# route, kind, config → the reason the editor reads
HOSTILE: list[tuple[str, str, dict[str, Any], str]] = [
    ("/slow", "mastodon", {"timeout": [1, 0.3]}, "did not answer within"),
    ("/error", "bluesky", {}, "HTTP 500 Internal Server Error"),
    ("/limited", "reddit", {}, "HTTP 429"),
    ("/malformed", "hn", {}, "malformed JSON"),
    ("/huge", "statuspage", {}, "more than the 5,000,000 allowed"),
    ("/huge-stream", "reports", {}, "larger than the 5,000,000 bytes allowed"),
    ("/bomb", "mastodon", {}, "decompresses to more than 5,000,000 bytes"),
    ("/redirect-loopback", "bluesky", {}, "127.0.0.1, a private or reserved address: refused"),
    ("/redirect-metadata", "hn", {}, "169.254.169.254, a private or reserved address: refused"),
    ("/bad-utf8", "mastodon", {}, "not valid UTF-8"),
    ("/html", "reddit", {}, "expected JSON, got text/html"),
    ("/html", "feed", {}, "expected an RSS or Atom feed, got text/html"),
    ("/error", "statuspage", {}, "HTTP 500"),
]
TAG_LIKE = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


@pytest.fixture
def only_test_servers(settings, hostile_server, replay_server):
    settings.FETCH_ALLOW_PRIVATE = False
    replay_host = replay_server.url.split("//", 1)[1].rstrip("/")
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{hostile_server.port}", replay_host]
    return hostile_server


def test_a_cycle_with_hostile_sources(whatsapp_committed, only_test_servers, replay_server):
    server = only_test_servers
    service = whatsapp_committed
    Source.objects.filter(service=service).update(is_enabled=False)
    hostile = {
        make_source(service, kind, f"{server.url}{route}", name=f"{kind} {route}", **config).pk: (
            reason
        )
        for route, kind, config, reason in HOSTILE
    }
    Source.objects.filter(pk__in=hostile, kind="reddit", url__endswith="/limited").update(
        poll_interval_seconds=10
    )
    good = make_source(service, "bluesky", replay_server.url + "bluesky_search_posts.json")
    xss_posts = make_source(service, "mastodon", f"{server.url}/xss-mastodon")
    xss_feed = make_source(service, "feed", f"{server.url}/xss-feed")

    started = timezone.now()
    report = gather_cycle(now=started, max_workers=8)

    assert len(report.outcomes) == len(hostile) + 3  # every source ran, none was lost
    assert report.count("failed") == len(hostile)
    for source in Source.objects.filter(pk__in=hostile):
        reason = hostile[source.pk]
        assert reason in source.last_error, (source.name, source.last_error)
        assert source.consecutive_failures == 1 and source.is_failing
        assert source.last_error_at == started and source.last_success_at is None
        assert source.lease_until is None
        # Backed off: at least twice its interval before the next attempt.
        assert source.next_poll_at is not None
        assert source.next_poll_at >= started + timedelta(seconds=2 * source.poll_interval_seconds)
        assert not Evidence.objects.filter(source=source).exists()  # nothing invented
    limited = Source.objects.get(pk__in=hostile, url__endswith="/limited")
    assert limited.next_poll_at is not None
    assert limited.next_poll_at >= started + timedelta(seconds=120)  # Retry-After honoured

    good.refresh_from_db()
    assert good.consecutive_failures == 0 and Evidence.objects.filter(source=good).count() == 3

    # Script and event-handler HTML from a source is stored as inert plain text.
    stored = Evidence.objects.filter(source__in=[xss_posts, xss_feed])
    assert stored.count() > 40
    for evidence in stored:
        for value in (evidence.title, evidence.text, evidence.author, evidence.url):
            assert not TAG_LIKE.search(value), value
        assert evidence.url == "" or evidence.url.startswith("https://evil.example/")
        assert "alert(1)</script>" not in evidence.text

    # Nothing is due again before its time: a second cycle right away polls nothing.
    assert gather_cycle(now=started + timedelta(seconds=5)).outcomes == []


def test_failures_back_off_further_each_time(whatsapp, only_test_servers):
    source = make_source(whatsapp, "bluesky", f"{only_test_servers.url}/error")
    delays = []
    for _ in range(4):
        now = timezone.now()
        assert gather_source(source.pk, now=now, force=True).status == "failed"
        source.refresh_from_db()
        assert source.next_poll_at is not None
        delays.append((source.next_poll_at - now).total_seconds())
    assert source.consecutive_failures == 4
    assert delays[0] >= 120 and all(b > a for a, b in zip(delays, delays[1:], strict=False))
    assert delays[-1] <= 3600 * 1.1  # capped at an hour (plus jitter)


def test_a_source_that_recovers_is_healthy_again(whatsapp, only_test_servers, replay_server):
    source = make_source(whatsapp, "bluesky", f"{only_test_servers.url}/error")
    gather_source(source.pk, force=True)
    Source.objects.filter(pk=source.pk).update(url=replay_server.url + "bluesky_search_posts.json")
    assert gather_source(source.pk, force=True).created == 3
    source.refresh_from_db()
    assert source.consecutive_failures == 0 and source.last_error == ""


def test_entries_of_the_wrong_shape_are_skipped(whatsapp, only_test_servers):
    only_test_servers.x_response = {"posts": [{"uri": 5, "record": "not a dict"}, 7, None]}
    source = make_source(whatsapp, "bluesky", f"{only_test_servers.url}/x-search")
    outcome = gather_source(source.pk, force=True)
    assert (outcome.status, outcome.created) == ("ok", 0)


def test_a_collector_crash_fails_the_source_not_the_run(whatsapp, only_test_servers, monkeypatch):
    from incidents import collectors

    def broken(ctx):
        raise TypeError("unexpected None")

    monkeypatch.setitem(collectors.COLLECTORS, "hn", broken)
    source = make_source(whatsapp, "hn", f"{only_test_servers.url}/ok")
    assert gather_source(source.pk, force=True).status == "failed"
    source.refresh_from_db()
    assert source.last_error == "unexpected response (TypeError)"
    assert source.lease_until is None


def test_a_source_without_url_is_off_not_failing(whatsapp):
    source = make_source(whatsapp, "mastodon", "")
    assert gather_source(source.pk, force=True).status == "off"
    source.refresh_from_db()
    assert source.last_error == "off: the source has no URL" and not source.is_failing
