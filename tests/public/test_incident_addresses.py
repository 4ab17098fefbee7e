"""Incident addresses: `<service>-<short title>-<date>`, never the detector's wording, never the
service twice; they follow the title until the first publication, then never change, and every
address an incident had redirects (301) to the current one."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from incidents.detection.services import suspected_incident_open
from incidents.models import Incident
from incidents.services.incidents import incident_change, incident_open

STARTED = datetime(2026, 11, 30, 15, 15, tzinfo=UTC)


def rename(incident: Incident, editor, title: str) -> Incident:
    incident.refresh_from_db()
    return incident_change(
        actor=editor,
        incident=incident,
        expected_version=incident.version,
        title=title,
        kind=incident.kind,
        impact=incident.impact,
        status=incident.status,
        components=incident.components.all(),
        regions=incident.regions,
    )


@pytest.mark.django_db
def test_hand_opened_incident_names_the_service_once(seeded, editor):
    incident = incident_open(
        actor=editor, service=seeded, title="WhatsApp messages not delivered", started_at=STARTED
    )
    assert incident.slug == "whatsapp-messages-not-delivered-2026-11-30"


@pytest.mark.django_db
def test_detector_draft_address_never_says_suspected(seeded):
    incident = suspected_incident_open(
        service=seeded, now=STARTED + timedelta(minutes=10), started_at=STARTED, official=[]
    )
    assert "suspect" not in incident.slug
    assert "detect" not in incident.slug
    assert incident.slug.count("whatsapp") == 1
    assert incident.slug.startswith("whatsapp-") and incident.slug.endswith("-2026-11-30")


@pytest.mark.django_db
def test_long_title_gives_a_short_address_and_twins_get_a_number(seeded, editor):
    title = "Panne de WhatsApp : les messages restent bloqués sur une coche grise partout en Europe"
    first = incident_open(actor=editor, service=seeded, title=title, started_at=STARTED)
    second = incident_open(actor=editor, service=seeded, title=title, started_at=STARTED)
    assert first.slug == "whatsapp-panne-messages-restent-bloques-coche-grise-2026-11-30"
    assert second.slug == first.slug + "-2"


@pytest.mark.django_db
def test_address_follows_the_title_until_published_then_never_changes(
    seeded, editor, client, publish
):
    incident = suspected_incident_open(
        service=seeded, now=STARTED + timedelta(minutes=10), started_at=STARTED, official=[]
    )
    draft_slug = incident.slug
    incident = rename(incident, editor, "Messages and calls down")
    assert incident.slug == "whatsapp-messages-calls-down-2026-11-30"

    Incident.objects.filter(pk=incident.pk).update(is_public=True, status="investigating")
    publish(Incident.objects.get(pk=incident.pk), title="Messages are not sent")
    incident = rename(incident, editor, "Global outage of WhatsApp")
    assert incident.slug == "whatsapp-messages-calls-down-2026-11-30"
    assert incident.title == "Global outage of WhatsApp"

    # The draft's address, if anyone kept it, leads to the page.
    response = client.get(f"/en/incidents/{draft_slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/en/incidents/{incident.slug}/"


@pytest.mark.django_db
def test_every_public_address_of_a_renamed_incident_redirects(seeded, editor, client, publish):
    incident = incident_open(
        actor=editor, service=seeded, title="Calls fail", started_at=timezone.now()
    )
    old = incident.slug
    incident = rename(incident, editor, "Calls and video calls fail")
    Incident.objects.filter(pk=incident.pk).update(is_public=True)
    publish(Incident.objects.get(pk=incident.pk), title="Calls fail for many users")

    # Pages and the comments are under a language prefix; what they poll and the feed are not.
    for prefix, suffix in (
        ("/en", ""),
        ("", "state.json"),
        ("", "feed.atom"),
        ("/en", "comments/?fragment=1"),
    ):
        response = client.get(f"{prefix}/incidents/{old}/{suffix}")
        assert response.status_code == 301, suffix
        assert response["Location"] == f"{prefix}/incidents/{incident.slug}/{suffix}"
        assert client.get(response["Location"]).status_code == 200, suffix


@pytest.mark.django_db
def test_unknown_or_unpublished_addresses_stay_not_found(seeded, editor, client):
    incident = incident_open(actor=editor, service=seeded, title="Status broken")
    old = incident.slug
    rename(incident, editor, "Status updates broken")
    # Not public yet: neither address may reveal the draft.
    assert client.get(f"/en/incidents/{old}/").status_code == 404
    assert client.get("/en/incidents/no-such-incident/").status_code == 404
