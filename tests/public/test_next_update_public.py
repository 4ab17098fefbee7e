"""Issue 12, item 6: the newsroom's "next update by" promise, shown to readers on the incident
page, in banner.json, in the Statuspage-shaped API (one documented extra field per update) and
in the feeds."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.public.htmltools import parse_html, text_of

PAGE = "/en/incidents/whatsapp-down-europe/"
FEED = "/incidents/whatsapp-down-europe/feed.atom"  # the data endpoints stay unprefixed


@pytest.fixture
def promised(active_incident, publish):
    due = (timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    update = publish(active_incident, title="Messages are slowly coming back", next_update_by=due)
    return update, due


@pytest.mark.django_db
def test_the_page_shows_the_promise_in_utc_for_every_reader(client, promised):
    _, due = promised
    page = parse_html(client.get(PAGE).content)
    fact = page.find("div", class_="fact-next")
    assert text_of(fact.find("dt")) == "Next update by"
    time = fact.find("time")
    assert time.attrs["datetime"] == due.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "data-relative" in time.attrs and "data-local" in time.attrs
    assert text_of(time).endswith(f"{due.astimezone(UTC):%H:%M} UTC")


@pytest.mark.django_db
def test_no_promise_no_line(client, active_incident):
    assert parse_html(client.get(PAGE).content).find("div", class_="fact-next") is None


@pytest.mark.django_db
def test_banner_json_carries_the_promise_and_its_words(client, promised):
    _, due = promised
    item = client.get("/embed/banner.json?service=whatsapp&lang=en").json()["incidents"][0]
    assert item["next_update_by"] == due.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert item["next_update_text"] == f"Next update by {due.astimezone(UTC):%H:%M} UTC"


@pytest.mark.django_db
def test_banner_iframe_and_script_show_the_promise(client, promised):
    _, due = promised
    frame = parse_html(client.get("/embed/banner.html?service=whatsapp&lang=en").content)
    meta = text_of(frame.find("p", class_="meta"))
    assert meta.endswith(f"Next update by {due.astimezone(UTC):%H:%M} UTC")
    assert b"i.next_update_text" in client.get("/embed/banner.js").content


@pytest.mark.django_db
def test_api_updates_keep_their_shape_plus_next_update_by(client, promised):
    update, due = promised
    [incident] = client.get("/api/v2/incidents/unresolved.json").json()["incidents"]
    by_id = {u["id"]: u for u in incident["incident_updates"]}
    assert datetime.fromisoformat(by_id[f"upd{update.pk}"]["next_update_by"]) == due
    older = [u for key, u in by_id.items() if key != f"upd{update.pk}"]
    assert older and all(u["next_update_by"] is None for u in older)
    assert "deliver_notifications" in by_id[f"upd{update.pk}"]  # the usual fields stay


@pytest.mark.django_db
def test_feeds_say_when_the_next_update_is_due(client, promised):
    _, due = promised
    expected = f"Next update by {due.day} {due.astimezone(UTC):%b %Y, %H:%M} UTC"
    for url in (FEED, "/feeds/incidents.atom", "/feeds/incidents.rss"):
        body = client.get(url).content.decode()
        assert expected in body, url
