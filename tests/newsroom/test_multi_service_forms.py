"""Editors open an incident across several services and change which services it affects, with
the components offered grouped by service and a component of a spared service refused."""

import re

import pytest
from django.urls import reverse

from incidents.models import Incident, Service
from incidents.services.incidents import incident_open
from outagedesk.models import AuditEvent


@pytest.fixture
def services(seeded):
    return {s.slug: s for s in Service.objects.all()}


def component(services, service, slug):
    return services[service].components.get(slug=slug)


def open_post(services, **changes):
    data = {
        "service": services["whatsapp"].pk,
        "other_services": [services["instagram"].pk],
        "title": "WhatsApp et Instagram en panne",
        "language": "fr",
        "kind": "global",
        "impact": "critical",
        "components": [
            component(services, "whatsapp", "messages").pk,
            component(services, "instagram", "feed").pk,
        ],
        "regions": "world",
    }
    data.update(changes)
    return data


def test_open_an_incident_across_two_services(editor_client, services):
    response = editor_client.post(reverse("newsroom:incident_new"), open_post(services))
    assert response.status_code == 302
    incident = Incident.objects.get(title="WhatsApp et Instagram en panne")
    assert incident.service == services["whatsapp"]
    assert [s.slug for s in incident.affected_services()] == ["whatsapp", "instagram"]
    assert {(c.service.slug, c.slug) for c in incident.components.all()} == {
        ("whatsapp", "messages"),
        ("instagram", "feed"),
    }
    event = AuditEvent.objects.get(action="incident.open", object_id=str(incident.pk))
    assert event.details["services"] == ["whatsapp", "instagram"]


def test_a_component_of_a_service_not_chosen_is_refused_on_the_field(editor_client, services):
    groups = component(services, "facebook", "groups")
    response = editor_client.post(
        reverse("newsroom:incident_new"), open_post(services, components=[groups.pk])
    )
    assert response.status_code == 422
    assert "components" in response.context["form"].errors
    assert not Incident.objects.filter(title="WhatsApp et Instagram en panne").exists()


def test_the_reloaded_form_offers_the_chosen_services_components_grouped(editor_client, services):
    response = editor_client.get(
        reverse("newsroom:incident_new"),
        {
            "service": services["whatsapp"].pk,
            "other_services": [services["instagram"].pk],
            "title": "Panne",
            "pick": "1",
        },
    )
    html = response.content.decode()
    field = html.split('id="components-field"', 1)[1].split("</fieldset>", 1)[0]
    assert "<label>WhatsApp</label>" in field and "<label>Instagram</label>" in field
    assert "Stories" in field and "Business API" in field
    assert "Groups" not in field and "News Feed" not in field
    instagram = services["instagram"].pk
    assert re.search(rf'name="other_services" value="{instagram}"[^>]*checked', html)


@pytest.fixture
def across(services, editor):
    return incident_open(
        actor=editor,
        service=services["whatsapp"],
        other_services=[services["instagram"]],
        title="WhatsApp et Instagram en panne",
        components=[component(services, "instagram", "feed")],
    )


def state_post(incident, **changes):
    data = {
        "version": str(incident.version),
        "title": incident.title,
        "status": "investigating",
        "impact": "major",
        "kind": "global",
        "regions": "",
        "other_services": [s.pk for s in incident.affected_services()[1:]],
        "components": [str(c.pk) for c in incident.components.all()],
    }
    data.update(changes)
    return data


def test_the_state_form_lists_the_affected_services_and_their_components(
    editor_client, across, services
):
    html = editor_client.get(reverse("newsroom:workspace", args=[across.pk])).content.decode()
    panel = html.split('id="state-panel"', 1)[1].split("</section>", 1)[0]
    assert "Also affected" in panel
    assert "<label>Instagram</label>" in panel and "<label>WhatsApp</label>" in panel
    assert "Stories" in panel and "Groups" not in panel


def test_the_state_form_adds_a_service_and_refuses_a_spared_ones_component(
    editor_client, across, services
):
    url = reverse("newsroom:incident_state", args=[across.pk])
    added = state_post(across, other_services=[services["instagram"].pk, services["messenger"].pk])
    assert editor_client.post(url, added).status_code == 302
    across = Incident.objects.get(pk=across.pk)
    assert [s.slug for s in across.affected_services()] == ["whatsapp", "instagram", "messenger"]
    event = AuditEvent.objects.filter(action="incident.change").latest("id")
    assert event.details["changed"]["services"] == [
        ["instagram", "whatsapp"],
        ["instagram", "messenger", "whatsapp"],
    ]

    groups = component(services, "facebook", "groups")
    refused = editor_client.post(url, state_post(across, components=[str(groups.pk)]))
    assert refused.status_code == 422
    assert not across.components.filter(pk=groups.pk).exists()


def test_unticking_a_service_whose_components_are_ticked_is_refused(editor_client, across):
    url = reverse("newsroom:incident_state", args=[across.pk])
    response = editor_client.post(url, state_post(across, other_services=[]))
    assert response.status_code == 422
    assert [s.slug for s in Incident.objects.get(pk=across.pk).affected_services()] == [
        "whatsapp",
        "instagram",
    ]


def test_moderators_and_anonymous_cannot_change_the_services(
    client, moderator_client, across, services
):
    url = reverse("newsroom:incident_state", args=[across.pk])
    data = state_post(across, other_services=[services["facebook"].pk])
    assert moderator_client.post(url, data).status_code == 403
    assert client.post(url, data).status_code in (302, 403)
    assert Incident.objects.get(pk=across.pk).services.count() == 2
