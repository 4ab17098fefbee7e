"""Atom and RSS feeds, read by feedparser the way feed readers read them: one entry per
published update, with its own time and link."""

import calendar

import feedparser
import pytest
from django.conf import settings
from django.core.cache import cache as django_cache

from incidents.models import Incident, IncidentUpdate
from incidents.services.translations import (
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from tests.factories import make_incident, make_update


def parse(response):
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def epoch(struct) -> int:
    return calendar.timegm(struct)


@pytest.mark.django_db
def test_incident_atom_feed_has_one_entry_per_update(client, active_incident):
    response = client.get("/incidents/whatsapp-down-europe/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response)
    updates = list(
        IncidentUpdate.objects.filter(incident=active_incident).order_by("-published_at")
    )
    assert feed.feed.title == "WhatsApp down in Europe"
    assert feed.feed.link == f"{settings.SITE_URL}/en/incidents/whatsapp-down-europe/"
    assert [e.title for e in feed.entries] == [u.title for u in updates]
    for entry, update in zip(feed.entries, updates, strict=True):
        assert (
            entry.link
            == f"{settings.SITE_URL}/en/incidents/whatsapp-down-europe/#update-{update.pk}"
        )
        assert entry.id == entry.link
        assert epoch(entry.published_parsed) == int(update.published_at.timestamp())
        assert epoch(entry.updated_parsed) == int(update.published_at.timestamp())
    assert "configuration change" in feed.entries[0].summary
    assert 'href="https://faq.whatsapp.com/"' in feed.entries[0].summary


@pytest.mark.django_db
def test_incident_feed_is_in_the_incident_language(client, seeded):
    incident = Incident.objects.get(slug="whatsapp-panne-mondiale-2021-10-04")
    feed = parse(client.get(f"/incidents/{incident.slug}/feed.atom"))
    assert feed.feed.language == "fr"
    assert len(feed.entries) == incident.updates.count() == 4
    assert feed.entries[-1].title == "Des utilisateurs signalent une panne de WhatsApp"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_site_feeds_list_updates_of_all_public_incidents_newest_first(
    client, active_incident, kind
):
    # One feed per language: each lists the updates written (or translated) in it.
    french = parse(client.get(f"/feeds/incidents.{kind}?lang=fr"))
    response = client.get(f"/feeds/incidents.{kind}?lang=en")
    feed = parse(response)
    public_updates = IncidentUpdate.objects.filter(incident__is_public=True).order_by(
        "-published_at"
    )
    assert len(feed.entries) + len(french.entries) == public_updates.count() == 6
    assert len(feed.entries) == public_updates.filter(language="en").count()
    newest = public_updates.first()
    assert feed.entries[0].title == f"{newest.incident.title}: {newest.title}"
    assert feed.entries[0].link.endswith(f"/incidents/whatsapp-down-europe/#update-{newest.pk}")
    assert epoch(feed.entries[0].published_parsed) == int(newest.published_at.timestamp())
    times = [epoch(e.published_parsed) for e in feed.entries]
    assert times == sorted(times, reverse=True)
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_new_update_reaches_the_feeds(client, active_incident, publish):
    before = len(parse(client.get("/feeds/incidents.atom")).entries)
    update = publish(active_incident, title="A fix is rolling out", status="monitoring")
    entries = parse(client.get("/feeds/incidents.atom")).entries
    assert len(entries) == before + 1
    assert entries[0].link.endswith(f"#update-{update.pk}")
    incident_entries = parse(client.get("/incidents/whatsapp-down-europe/feed.atom")).entries
    assert incident_entries[0].title == "A fix is rolling out"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "public"), [("suspected", False), ("investigating", False), ("dismissed", True)]
)
def test_drafts_have_no_feed(client, seeded, status, public):
    incident = make_incident(
        service=seeded, slug="secret-draft", title="Secret draft", status=status, is_public=public
    )
    make_update(
        incident=incident,
        status="investigating",
        title="Secret update",
        message="m",
        language="en",
        published_at=incident.created_at,
    )
    assert client.get("/incidents/secret-draft/feed.atom").status_code == 404
    for kind in ("atom", "rss"):
        assert b"Secret" not in client.get(f"/feeds/incidents.{kind}").content


@pytest.mark.django_db
def test_the_french_site_feed_lists_an_update_once_its_incident_title_is_french_too(
    client, active_incident
):
    """A French entry headed "WhatsApp down in Europe: …" would mix the languages: an update
    joins the French feed when both it and its incident's title exist in French."""
    update = active_incident.updates.order_by("-published_at").first()
    update_translation_add(
        actor=None,
        update=update,
        language="fr",
        text=TranslationText(title="WhatsApp confirme la panne", message="Panne confirmée."),
    )
    django_cache.clear()
    titles = [e.title for e in parse(client.get("/feeds/incidents.atom?lang=fr")).entries]
    assert not any("WhatsApp confirme la panne" in t for t in titles)
    incident_title_translate(
        actor=None, incident=active_incident, language="fr", title="Panne de WhatsApp en Europe"
    )
    django_cache.clear()
    titles = [e.title for e in parse(client.get("/feeds/incidents.atom?lang=fr")).entries]
    assert "Panne de WhatsApp en Europe\u00a0: WhatsApp confirme la panne" in titles
