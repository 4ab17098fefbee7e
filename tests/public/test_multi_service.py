"""One outage across several services (WhatsApp and Instagram) is shown wherever readers of
either look: each service's banner, feed, status API components, the home page and the page of
the incident; a service it spares shows nothing."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase

from incidents.models import Component, Incident, Service
from incidents.selectors.public import incidents_affecting
from incidents.services.incidents import IncidentError, incident_change, incident_open
from tests.support.publishing import change_incident, publish_update


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor-multi")


@pytest.fixture
def services(seeded):
    return {s.slug: s for s in Service.objects.all()}


@pytest.fixture
def outage(services, editor):
    """WhatsApp's messages and Instagram's feed down, critical; Messenger and Facebook spared."""
    whatsapp, instagram = services["whatsapp"], services["instagram"]
    incident = incident_open(
        actor=editor,
        service=whatsapp,
        other_services=[instagram],
        title="WhatsApp and Instagram down",
        impact=Incident.Impact.CRITICAL,
        components=[
            whatsapp.components.get(slug="messages"),
            instagram.components.get(slug="feed"),
        ],
        language="en",
    )
    change_incident(incident, is_public=True)
    publish_update(incident, title="Messages and the feed do not load", is_confirmed=True)
    return incident


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.content)


def test_the_incident_is_in_each_affected_services_banner_only(client, outage):
    for slug in ("instagram", "whatsapp"):
        (item,) = get_json(client, f"/embed/banner.json?service={slug}&lang=en")["incidents"]
        assert item["id"] == outage.slug
        assert item["headline"] == "Messages and the feed do not load"  # the editor's words
        assert item["services"] == ["whatsapp", "instagram"]
    assert get_json(client, "/embed/banner.json?service=messenger&lang=en")["incidents"] == []
    frame = client.get("/embed/banner.html?service=instagram&lang=en").content.decode()
    assert "WhatsApp and Instagram down" in frame


def test_the_update_is_in_each_affected_services_feed_only(client, outage):
    for kind in ("atom", "rss"):
        instagram = client.get(f"/feeds/incidents.{kind}?service=instagram").content.decode()
        assert "Messages and the feed do not load" in instagram
        assert "outage updates about Instagram" in instagram
        # The feed names itself in its language (one feed per language) and for its service.
        assert "/feeds/incidents." + kind + "?lang=en&amp;service=instagram" in instagram
        messenger = client.get(f"/feeds/incidents.{kind}?service=messenger").content.decode()
        assert "Messages and the feed do not load" not in messenger
        everything = client.get(f"/feeds/incidents.{kind}").content.decode()
        assert "Messages and the feed do not load" in everything


def test_the_status_api_marks_the_components_of_every_affected_service(client, outage, services):
    components = get_json(client, "/api/v2/components.json")["components"]
    status = {(c["group_id"], c["name"]): c["status"] for c in components if not c["group"]}
    groups = {c["name"]: c["status"] for c in components if c["group"]}
    instagram, whatsapp = services["instagram"], services["whatsapp"]
    assert status[(f"svc{instagram.pk}", "Feed")] == "major_outage"
    assert status[(f"svc{instagram.pk}", "Stories")] == "operational"
    assert status[(f"svc{whatsapp.pk}", "Messages")] == "major_outage"
    assert groups["Instagram"] == groups["WhatsApp"] == "major_outage"
    assert groups["Messenger"] == groups["Facebook"] == "operational"

    (incident,) = get_json(client, "/api/v2/incidents/unresolved.json")["incidents"]
    named = {(c["group_id"], c["name"]) for c in incident["components"]}
    assert named == {(f"svc{whatsapp.pk}", "Messages"), (f"svc{instagram.pk}", "Feed")}
    affected = {c["name"] for c in incident["incident_updates"][0]["affected_components"]}
    assert affected == {"Messages", "Feed"}


def test_an_affected_service_with_no_component_named_is_down_as_a_whole(
    client, outage, services, editor
):
    messenger = services["messenger"]
    with TestCase.captureOnCommitCallbacks(execute=True):  # as the newsroom's request commits
        incident_change(
            actor=editor,
            incident=outage,
            expected_version=Incident.objects.get(pk=outage.pk).version,
            title=outage.title,
            kind=outage.kind,
            impact=outage.impact,
            status=outage.status,
            components=list(outage.components.all()),
            regions=[],
            other_services=[services["instagram"], messenger],
        )
    components = get_json(client, "/api/v2/components.json")["components"]
    in_messenger = [c for c in components if c["group_id"] == f"svc{messenger.pk}"]
    assert in_messenger and {c["status"] for c in in_messenger} == {"major_outage"}
    (item,) = get_json(client, "/embed/banner.json?service=messenger&lang=en")["incidents"]
    # The editor's words head the banner, whichever affected service's blog shows it.
    assert item["headline"] == "Messages and the feed do not load"
    page = client.get(f"/en/incidents/{outage.slug}/").content.decode()
    assert "All of Messenger" in page and "Instagram: Feed" in page


def test_the_home_page_counts_every_affected_service_as_in_trouble(client, outage):
    page = client.get("/en/").content.decode()
    rows = page.split('class="index-now"', 1)[1].split("</section>", 1)[0].split("<article")[1:]
    state = {row.split("<h2", 1)[1].split("</h2>", 1)[0]: row for row in rows}
    troubled = [h for h in state if "tone-ok" not in state[h]]
    quiet = [h for h in state if "tone-ok" in state[h]]
    assert any("WhatsApp" in h for h in troubled) and any("Instagram" in h for h in troubled)
    assert any("Messenger" in h for h in quiet) and any("Facebook" in h for h in quiet)
    assert "WhatsApp and Instagram down" in page


def test_the_past_outage_is_listed_with_all_four_services(client, seeded):
    page = client.get("/en/").content.decode()
    recent = page.split('id="recent-title"', 1)[1]
    assert "WhatsApp, Facebook, Instagram, Messenger" in recent


def test_incidents_affecting_a_service_for_its_page(outage, services):
    assert outage in incidents_affecting(services["instagram"])
    assert outage in incidents_affecting(services["whatsapp"])
    assert outage not in incidents_affecting(services["messenger"])
    past = incidents_affecting(services["facebook"])
    assert [i.slug for i in past] == ["whatsapp-panne-mondiale-2021-10-04"]


def test_a_component_of_a_service_the_incident_spares_is_refused(outage, services, editor):
    calls = services["messenger"].components.get(slug="calls")
    with pytest.raises(IncidentError) as refused:
        incident_open(
            actor=editor,
            service=services["whatsapp"],
            other_services=[services["instagram"]],
            title="Calls down",
            components=[calls],
        )
    assert refused.value.code == "component_of_other_service"
    with pytest.raises(IncidentError):
        incident_change(
            actor=editor,
            incident=outage,
            expected_version=Incident.objects.get(pk=outage.pk).version,
            title=outage.title,
            kind=outage.kind,
            impact=outage.impact,
            status=outage.status,
            components=[calls],
            regions=[],
        )
    assert not Component.objects.filter(incidents=outage, service=services["messenger"]).exists()


def test_the_primary_service_is_always_among_the_affected(outage, services, editor):
    incident_change(
        actor=editor,
        incident=outage,
        expected_version=Incident.objects.get(pk=outage.pk).version,
        title=outage.title,
        kind=outage.kind,
        impact=outage.impact,
        status=outage.status,
        components=[],
        regions=[],
        other_services=[],
    )
    outage = Incident.objects.get(pk=outage.pk)
    assert list(outage.services.values_list("slug", flat=True)) == ["whatsapp"]
    assert [s.slug for s in outage.affected_services()] == ["whatsapp"]
