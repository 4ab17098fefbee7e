"""Opening incidents by hand, the state form, two editors saving at once, resolve, dismiss."""

import pytest
from django.urls import reverse

from incidents.events import incident_changed
from incidents.models import Component, Incident, Service
from incidents.services.incidents import (
    IncidentConflict,
    IncidentError,
    incident_change,
    incident_dismiss,
    incident_open,
)
from incidents.services.updates import UpdateDraft, update_publish
from outagedesk.models import AuditEvent


@pytest.fixture
def changes():
    seen = []

    def receiver(sender, incident, **kwargs):
        seen.append(incident.pk)

    incident_changed.connect(receiver)
    yield seen
    incident_changed.disconnect(receiver)


def state_data(incident, **overrides):
    data = {
        "version": str(incident.version),
        "title": incident.title,
        "status": incident.status,
        "impact": incident.impact,
        "kind": incident.kind,
        "regions": ", ".join(incident.regions),
        "components": [str(c.pk) for c in incident.components.all()],
    }
    data.update(overrides)
    return data


def test_open_an_incident_by_hand(editor_client, seeded):
    messages, calls = Component.objects.filter(service=seeded, slug__in=["messages", "calls"])
    response = editor_client.post(
        reverse("newsroom:incident_new"),
        {
            "service": seeded.pk,
            "title": "Messages bloqués en France",
            "language": "fr",
            "kind": "regional",
            "impact": "major",
            "components": [messages.pk, calls.pk],
            "regions": "France, Belgique",
        },
    )
    incident = Incident.objects.get(title="Messages bloqués en France")
    assert response.status_code == 302
    assert response["Location"] == reverse("newsroom:workspace", args=[incident.pk])
    assert incident.status == "investigating" and not incident.is_public
    assert incident.regions == ["France", "Belgique"]
    assert set(incident.components.all()) == {messages, calls}
    assert incident.slug.startswith("whatsapp-messages-bloques-france-")
    assert AuditEvent.objects.filter(action="incident.open", object_id=str(incident.pk)).exists()
    # The FAQ starts from the reader questions, in French, waiting for an editor.
    questions = list(incident.faq_entries.values_list("question", "is_published"))
    assert ("Est-ce que mes messages ont été perdus ?", False) in questions
    assert len(questions) == 4


def test_the_new_incident_form_shows_in_the_newsroom(editor_client):
    html = editor_client.get(reverse("newsroom:incident_new")).content.decode()
    assert "Open an incident" in html and 'name="title"' in html


def test_an_app_bug_needs_its_platforms(editor_client, seeded):
    response = editor_client.post(
        reverse("newsroom:incident_new"),
        {
            "service": seeded.pk,
            "title": "Crash",
            "language": "en",
            "kind": "app_bug",
            "impact": "minor",
        },
    )
    assert response.status_code == 422
    assert "An app bug needs the platforms it affects." in response.content.decode()
    assert not Incident.objects.filter(title="Crash").exists()


def test_components_of_another_service_are_refused(editor, seeded):
    other = Service.objects.create(slug="signal", name="Signal")
    foreign = Component.objects.create(
        service=other, slug="calls", name_en="Calls", name_fr="Appels"
    )
    with pytest.raises(IncidentError):
        incident_open(actor=editor, service=seeded, title="x", components=[foreign])


def test_save_the_state_form(editor_client, incident, changes, django_capture_on_commit_callbacks):
    calls = incident.service.components.get(slug="calls")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("newsroom:incident_state", args=[incident.pk]),
            state_data(
                incident,
                status="investigating",
                impact="major",
                kind="app_bug",
                platforms=["android"],
                app_versions="2.24.10",
                components=[str(calls.pk)],
                regions="world",
            ),
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    incident.refresh_from_db()
    assert (incident.status, incident.impact, incident.kind) == (
        "investigating",
        "major",
        "app_bug",
    )
    assert incident.platforms == ["android"] and incident.app_versions == "2.24.10"
    assert list(incident.components.all()) == [calls]
    assert incident.regions == ["world"]
    assert incident.version == 2
    event = AuditEvent.objects.get(action="incident.change")
    assert event.details["changed"]["impact"] == ["none", "major"]
    assert changes == []  # not public yet: no public cache to refresh
    assert 'name="version" value="2"' in response.content.decode()


def test_the_state_form_sets_corrects_and_removes_the_title_in_the_other_language(
    editor_client, incident
):
    url = reverse("newsroom:incident_state", args=[incident.pk])
    page = editor_client.get(reverse("newsroom:workspace", args=[incident.pk])).content.decode()
    assert "Title in English" in page  # a French incident: its other language is English

    def save(**changes):
        incident.refresh_from_db()
        return editor_client.post(url, state_data(incident, **changes), HTTP_HX_REQUEST="true")

    assert save(title_translation="<b>WhatsApp</b> outage").status_code == 200
    incident.refresh_from_db()
    assert incident.title_in("en") == "WhatsApp outage"
    assert save(title_translation="WhatsApp outage in Europe").status_code == 200
    incident.refresh_from_db()
    assert incident.title_in("en") == "WhatsApp outage in Europe"
    refused = save(title_translation="<script></script>")
    assert (
        refused.status_code == 422 and "Nothing is left of this title" in refused.content.decode()
    )
    assert save(title_translation="").status_code == 200
    incident.refresh_from_db()
    assert incident.title_translations == {}
    events = AuditEvent.objects.filter(action__startswith="incident.title").order_by("pk")
    assert [e.action for e in events] == [
        "incident.title_translated",
        "incident.title_translation_replaced",
        "incident.title_translation_removed",
    ]


def test_public_changes_are_announced(
    editor, incident, changes, django_capture_on_commit_callbacks
):
    update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))
    incident.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        incident_change(
            actor=editor,
            incident=incident,
            expected_version=incident.version,
            title=incident.title,
            kind=incident.kind,
            impact="critical",
            status=incident.status,
            components=[],
            regions=[],
        )
    assert changes == [incident.pk]


def test_second_save_on_a_stale_form_gets_a_conflict_and_keeps_the_text(
    editor_client, admin_client_, incident
):
    url = reverse("newsroom:incident_state", args=[incident.pk])
    stale = state_data(incident)  # both editors loaded version 1
    first = admin_client_.post(
        url,
        {**stale, "title": "Panne mondiale de WhatsApp", "impact": "critical"},
        HTTP_HX_REQUEST="true",
    )
    assert first.status_code == 200

    mine = {
        **stale,
        "title": "Messages bloqués : mon titre soigneusement écrit",
        "regions": "France",
    }
    second = editor_client.post(url, mine, HTTP_HX_REQUEST="true")
    assert second.status_code == 409
    html = second.content.decode()
    assert "Someone else changed this incident while you were editing." in html
    assert "Panne mondiale de WhatsApp" in html  # what the other editor saved
    assert 'value="Messages bloqués : mon titre soigneusement écrit"' in html  # not lost
    assert 'value="France"' in html
    incident.refresh_from_db()
    assert incident.title == "Panne mondiale de WhatsApp" and incident.impact == "critical"
    assert incident.regions == []

    # Saving again from the conflict form is a deliberate overwrite.
    assert 'name="version" value="2"' in html
    third = editor_client.post(url, {**mine, "version": "2"}, HTTP_HX_REQUEST="true")
    assert third.status_code == 200
    incident.refresh_from_db()
    assert incident.title == "Messages bloqués : mon titre soigneusement écrit"
    assert incident.version == 3


def test_stale_version_is_refused_by_the_service(editor, incident):
    with pytest.raises(IncidentConflict) as conflict:
        incident_change(
            actor=editor,
            incident=incident,
            expected_version=incident.version - 1 if incident.version > 1 else 99,
            title="x",
            kind="global",
            impact="none",
            status="investigating",
            components=[],
            regions=[],
        )
    assert conflict.value.current.pk == incident.pk


def test_publishing_makes_an_open_state_form_stale(editor_client, editor, incident):
    data = state_data(incident)
    update_publish(
        actor=editor,
        draft=UpdateDraft(incident=incident, title="a", message="b", status="identified"),
    )
    response = editor_client.post(
        reverse("newsroom:incident_state", args=[incident.pk]), {**data, "status": "suspected"}
    )
    assert response.status_code == 409
    incident.refresh_from_db()
    assert incident.status == "identified"


def test_resolving_through_the_state_form_and_reopening(editor_client, incident):
    url = reverse("newsroom:incident_state", args=[incident.pk])
    editor_client.post(url, state_data(incident, status="resolved"))
    incident.refresh_from_db()
    assert incident.status == "resolved" and incident.resolved_at >= incident.started_at
    response = editor_client.post(url, state_data(incident, status="monitoring"))
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "monitoring" and incident.resolved_at is None


def test_invalid_state_form_is_shown_again(editor_client, incident):
    response = editor_client.post(
        reverse("newsroom:incident_state", args=[incident.pk]),
        state_data(incident, title="", impact="enormous"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_dismiss_a_detector_draft(editor_client, incident):
    response = editor_client.post(
        reverse("newsroom:incident_dismiss", args=[incident.pk]), {"reason": "A bot storm"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("newsroom:dashboard")
    incident.refresh_from_db()
    assert incident.status == "dismissed"
    event = AuditEvent.objects.get(action="incident.dismiss")
    assert event.details["reason"] == "A bot storm" and event.actor.username == "edith"


def test_a_published_incident_cannot_be_dismissed(editor_client, editor, incident):
    update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))
    editor_client.post(reverse("newsroom:incident_dismiss", args=[incident.pk]))
    incident.refresh_from_db()
    assert incident.status == "investigating"
    with pytest.raises(IncidentError):
        incident_dismiss(actor=editor, incident=incident)
