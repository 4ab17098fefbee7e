"""Every collector against its recorded response, served by a real HTTP server on 127.0.0.1:
the evidence it stores (values checked against the fixture files), and that reading the same
response again adds nothing."""

from datetime import UTC, datetime

import pytest

from incidents.gathering import gather_source
from incidents.models import Evidence, Service, SignalBucket, Source
from tests.factories import make_source

pytestmark = pytest.mark.usefixtures("allow_loopback_fetch")


def run(source):
    return gather_source(source.pk, force=True)


def source_named(service, name):
    return Source.objects.get(service=service, name=name)


def stored(source):
    return {e.dedup_key: e for e in Evidence.objects.filter(source=source)}


def test_statuspage_summary_during_an_outage(whatsapp):
    source = source_named(whatsapp, "WhatsApp status page (summary)")
    outcome = run(source)
    assert (outcome.status, outcome.created) == ("ok", 8)
    items = list(Evidence.objects.filter(source=source).order_by("id"))
    page = items[0]
    assert page.title == "Example Messenger: Major System Outage"
    assert page.status_text == "critical" and page.signal_value == 3.0
    assert page.raw["major"] is True
    components = {e.raw["name"]: e for e in items if e.raw["scope"] == "component"}
    assert components["Message delivery"].status_text == "major_outage"
    assert components["Message delivery"].component_hints == ["messages"]
    assert components["Voice and video calls"].status_text == "partial_outage"
    assert components["Voice and video calls"].component_hints == ["calls"]
    assert components["Web and desktop clients"].signal_value == 1.0
    # Statuspage writes local time (+02:00); we store UTC.
    assert components["Message delivery"].published_at == datetime(
        2025, 10, 14, 16, 2, 41, 801000, tzinfo=UTC
    )
    updates = [e for e in items if e.raw["scope"] == "incident"]
    assert [u.status_text for u in updates] == ["identified", "investigating", "investigating"]
    assert updates[0].title == "Messages not sending for users in Europe"
    assert updates[0].url == "https://stspg.io/8jmmajvwmrze"
    assert updates[0].text.startswith("We have identified a network configuration change")
    assert "europe" in updates[0].region_hints
    assert all(e.signal_kind == Evidence.SignalKind.STATUS for e in items)


def test_statuspage_summary_all_operational(whatsapp, replay_server):
    source = make_source(
        whatsapp, "statuspage", replay_server.url + "statuspage_summary.json", tier="official"
    )
    assert run(source).created == 2
    page, component = Evidence.objects.filter(source=source).order_by("id")
    assert page.title == "Discord: All Systems Operational"
    assert page.status_text == "none" and page.raw["major"] is False
    assert component.title == "South Korea: operational"
    assert component.region_hints == ["KR"]


def test_statuspage_incidents_history(whatsapp, replay_server):
    # Discord's real incidents.json: another company's page, so a monitor here, not official.
    source = make_source(
        whatsapp, "statuspage", replay_server.url + "statuspage_incidents.json", tier="monitor"
    )
    assert run(source).created == 4
    by_key = stored(source)
    first = by_key["update:7gv6pn1zyz2n"]
    assert first.title == "Messaging issues"
    assert first.text == "We're investigating high latency related to channels and messages."
    assert first.status_text == "investigating"
    assert first.raw["impact"] == "minor" and first.raw["major"] is False
    assert by_key["update:g93t2s4f10jh"].status_text == "resolved"


def test_rss_feed(whatsapp, replay_server):
    source = make_source(whatsapp, "feed", replay_server.url + "status_feed.rss", tier="press")
    assert run(source).created == 3
    entry = Evidence.objects.get(source=source, url__endswith="nzc328r69wrv")
    assert entry.title == "Incident with Copilot Pull Request Summaries"
    assert entry.published_at == datetime(2024, 6, 19, 12, 53, 33, tzinfo=UTC)
    # HTML-escaped description, served with &apos; and <var> tags, becomes readable text.
    assert entry.text.startswith("Jun 19, 12:53 UTC\nResolved - Between June 18th, 2024")
    assert "<" not in entry.text and "&apos;" not in entry.text
    assert entry.signal_kind == Evidence.SignalKind.POST  # press tier


def test_atom_feed_of_an_official_status_history(whatsapp, replay_server):
    # GitHub's status history, official on a service of GitHub's own.
    github = Service.objects.create(slug="github", name="GitHub", owner="github")
    source = make_source(github, "feed", replay_server.url + "status_feed.atom", tier="official")
    assert run(source).created == 3
    entry = Evidence.objects.get(source=source, url__endswith="lfrlwdg67fn8")
    assert entry.title == "Incident with Actions"
    assert entry.published_at == datetime(2024, 6, 11, 21, 39, 47, tzinfo=UTC)
    assert "caused an average 28% of Actions jobs to fail" in entry.text
    assert entry.language == "en-us"
    assert entry.signal_kind == Evidence.SignalKind.STATUS  # official tier


def test_mastodon_tag_timeline(whatsapp):
    source = source_named(whatsapp, "Mastodon #WhatsappDown")
    assert run(source).created == 3
    items = list(Evidence.objects.filter(source=source).order_by("-published_at"))
    first = items[0]
    assert first.url == "https://mastodon.social/@mieke_vandenberg/115373378885672533"
    assert first.author == "mieke_vandenberg"
    assert first.published_at == datetime(2025, 10, 14, 16, 7, 31, 844000, tzinfo=UTC)
    assert first.text.startswith("Is anyone else's WhatsApp completely dead?")
    assert "#whatsapp #WhatsAppDown" in first.text  # hashtag links reduced to their text
    assert set(first.component_hints) >= {"messages", "calls"}
    assert first.region_hints == ["NL"]  # Amsterdam
    german = items[1]
    assert german.language == "de" and german.author == "jonas_k@chaos.social"
    assert "europe" in german.region_hints  # "ganz Europa"
    # The tag timeline was asked for the other configured hashtags too.
    assert all(e.signal_kind == Evidence.SignalKind.POST for e in items)


def test_bluesky_search(whatsapp):
    source = source_named(whatsapp, "Bluesky search")
    assert run(source).created == 3
    by_author = {e.author: e for e in Evidence.objects.filter(source=source)}
    belgium = by_author["annelies.bsky.social"]
    assert belgium.url == "https://bsky.app/profile/annelies.bsky.social/post/3m364hj3uusog"
    assert belgium.region_hints == ["BE"] and belgium.component_hints == ["messages"]
    assert belgium.raw["likes"] == 12
    assert by_author["marco-rossi.bsky.social"].language == "it"
    alert = by_author["netwatch-eu.bsky.social"]
    assert alert.region_hints == ["DE", "NL", "FR", "ES", "IT", "GB", "europe"]
    assert set(alert.component_hints) == {"messages", "calls", "media"}


def test_reddit_search(whatsapp):
    source = source_named(whatsapp, "Reddit search")
    assert run(source).created == 3
    post = Evidence.objects.get(source=source, dedup_key="t3:t3_1o6kc2m")
    assert post.title == "WhatsApp not sending messages - Netherlands"
    assert post.url == (
        "https://www.reddit.com/r/whatsapp/comments/1o6kc2m/whatsapp_not_sending_messages_netherlands/"
    )
    assert post.author == "dutchbikeguy"
    assert post.published_at == datetime.fromtimestamp(1760457521, tz=UTC)
    assert post.text.startswith('Not just me then. Family group chat shows "connecting..."')
    assert post.region_hints == ["NL"]
    assert post.raw == {"subreddit": "whatsapp", "score": 188, "comments": 97, "link": ""}


def test_reddit_subreddit_listing_with_a_link_post(whatsapp, replay_server):
    source = make_source(whatsapp, "reddit", replay_server.url + "reddit_subreddit_new.json")
    assert run(source).created == 1
    post = Evidence.objects.get(source=source)
    assert post.title == "Allowing DML Operations in Highly Compressed Data in Postgres"
    assert post.raw["link"].startswith("https://www.timescale.com/blog/allowing-dml-operations")
    assert post.url.startswith("https://www.reddit.com/r/programming/comments/16yxnnf/")


def test_hacker_news(whatsapp, replay_server):
    source = source_named(whatsapp, "Hacker News")
    assert run(source).created == 3
    comment = Evidence.objects.get(source=source, dedup_key="hn:45406701")
    assert comment.title == "Re: WhatsApp is down in Europe"
    assert comment.url == "https://news.ycombinator.com/item?id=45406701"
    assert comment.text.startswith('Same in Berlin. WhatsApp web shows "phone not connected"')
    assert "DE" in comment.region_hints and "web" in comment.component_hints
    story = Evidence.objects.get(source=source, dedup_key="hn:45406612")
    assert (
        story.raw["points"] == 214
        and story.raw["link"] == "https://downdetector.com/status/whatsapp/"
    )

    real = make_source(whatsapp, "hn", replay_server.url + "hn_algolia_search.json")
    assert run(real).created == 1
    assert Evidence.objects.get(source=real).text == (
        'Whoa, the "japanese" checkbox animation is awesome, so satisfying!'
    )


def test_report_counts_with_configured_field_paths(whatsapp):
    source = source_named(whatsapp, "Downdetector-style report counts")
    # 96 points, and the counter's one rolling item for the inbox (incidents.services.counters).
    assert run(source).created == 97
    assert Evidence.objects.filter(source=source, in_inbox=False).count() == 96
    peak = Evidence.objects.get(source=source, dedup_key="point:2025-10-14T16:30:00+00:00")
    assert peak.signal_kind == Evidence.SignalKind.REPORTS
    assert peak.signal_value == 14836.0 and peak.raw["baseline"] == 13.0
    assert peak.title == "14,836 reports at 16:30 UTC (usual: 13)"
    assert peak.text == "Most reported problems: Messaging 61%, Server Connection 27%, App 12%"
    assert peak.component_hints == ["messages", "connection"]
    quiet = Evidence.objects.get(source=source, dedup_key="point:2025-10-14T15:30:00+00:00")
    assert quiet.signal_value == 12.0 and quiet.component_hints == [] and quiet.text == ""
    # A 15-minute point is spread over its three 5-minute buckets.
    buckets = SignalBucket.objects.filter(
        service=whatsapp,
        component="",
        region="",
        bucket_start__gte=datetime(2025, 10, 14, 16, 30, tzinfo=UTC),
        bucket_start__lt=datetime(2025, 10, 14, 16, 45, tzinfo=UTC),
    )
    assert [round(b.count, 2) for b in buckets] == [4945.33] * 3
    messages = SignalBucket.objects.get(
        service=whatsapp,
        component="messages",
        bucket_start=datetime(2025, 10, 14, 16, 30, tzinfo=UTC),
    )
    assert round(messages.count, 2) == 4945.33


def test_a_growing_report_point_updates_instead_of_duplicating(whatsapp, hostile_server):
    source = make_source(
        whatsapp,
        "reports",
        f"{hostile_server.url}/x-search",
        series_path="points",
        time_field="t",
        value_field="n",
    )
    hostile_server.x_response = {"points": [{"t": "2025-10-14 16:30:00", "n": 40}]}
    assert run(source).created == 2  # the point, and the counter's rolling inbox item
    hostile_server.x_response = {"points": [{"t": "2025-10-14 16:30:00", "n": 100}]}
    outcome = run(source)
    assert (outcome.created, outcome.updated) == (0, 1)
    # The point (the counter's rolling inbox item sits beside it: incidents.services.counters).
    assert Evidence.objects.get(source=source, in_inbox=False).signal_value == 100
    overall = SignalBucket.objects.get(
        service=whatsapp,
        component="",
        region="",
        bucket_start=datetime(2025, 10, 14, 16, 30, tzinfo=UTC),
    )
    assert overall.count == 100  # 40, then the 60 more


@pytest.mark.parametrize(
    "name",
    [
        "WhatsApp status page (summary)",
        "statuspage_incidents.json",
        "Downdetector-style report counts",
        "Mastodon #WhatsappDown",
        "Bluesky search",
        "Reddit search",
        "Hacker News",
        "status_feed.rss",
        "status_feed.atom",
    ],
)
def test_the_same_response_twice_adds_nothing(whatsapp, replay_server, name):
    if name.endswith((".json", ".rss", ".atom")):  # captures of other companies' pages
        kind = "statuspage" if name.endswith(".json") else "feed"
        source = make_source(whatsapp, kind, replay_server.url + name, tier="monitor")
    else:
        source = source_named(whatsapp, name)
    first = run(source)
    count = Evidence.objects.filter(source=source).count()
    buckets = list(SignalBucket.objects.values_list("bucket_start", "component", "region", "count"))
    assert first.created == count > 0
    source.refresh_from_db()
    assert source.etag  # kept for the next conditional request

    again = run(source)  # the replay server answers 304 to the stored ETag
    assert (again.status, again.created) == ("not_modified", 0)

    Source.objects.filter(pk=source.pk).update(etag="", last_modified="")
    full = run(source)  # the whole body again, every item already known
    assert (full.status, full.created, full.updated) == ("ok", 0, 0)
    assert Evidence.objects.filter(source=source).count() == count
    assert (
        list(SignalBucket.objects.values_list("bucket_start", "component", "region", "count"))
        == buckets
    )


def test_health_after_a_successful_run(whatsapp):
    source = source_named(whatsapp, "Bluesky search")
    run(source)
    source.refresh_from_db()
    assert source.last_success_at and source.last_run_at == source.last_success_at
    assert source.consecutive_failures == 0 and source.last_error == ""
    assert source.last_item_count == 3
    assert source.next_poll_at > source.last_run_at and source.lease_until is None


def test_posts_count_into_signal_buckets_by_component_and_region(whatsapp):
    run(source_named(whatsapp, "Bluesky search"))
    bucket = datetime(2025, 10, 14, 16, 5, tzinfo=UTC)  # the Belgian post at 16:09:14
    assert (
        SignalBucket.objects.get(
            service=whatsapp, bucket_start=bucket, component="", region=""
        ).count
        == 1
    )
    assert (
        SignalBucket.objects.get(service=whatsapp, bucket_start=bucket, component="messages").count
        == 1
    )
    assert SignalBucket.objects.get(service=whatsapp, bucket_start=bucket, region="BE").count == 1
