"""/newsroom/: detector drafts and active incidents first, then recent ones."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from incidents.models import DetectorState
from incidents.services.updates import UpdateDraft, update_publish
from incidents.services.verification import evidence_verify
from tests.factories import make_evidence, make_incident


def test_drafts_and_active_incidents_come_first(editor_client, editor, incident, seeded, mastodon):
    DetectorState.objects.create(
        service=seeded,
        level="likely",
        ratio=6.2,
        since=timezone.now() - timedelta(minutes=15),
        suspected_incident=incident,
    )
    active = make_incident(
        service=seeded,
        slug="calls",
        title="Appels impossibles",
        status="identified",
        started_at=timezone.now(),
    )
    update_publish(
        actor=editor,
        draft=UpdateDraft(incident=active, title="a", message="b", status="identified"),
    )
    evidence_verify(actor=editor, evidence=make_evidence(mastodon), incident=active)
    make_incident(service=seeded, slug="done", title="Old resolved one", status="resolved")
    make_incident(service=seeded, slug="noise", title="Dismissed noise", status="dismissed")

    html = editor_client.get(reverse("newsroom:dashboard")).content.decode()
    suspected = html.index("Suspected: detector drafts to check")
    active_section = html.index("Active incidents")
    recent = html.index("Recently closed")
    assert suspected < html.index("WhatsApp: possible outage") < active_section
    assert active_section < html.index("Appels impossibles") < recent
    assert recent < html.index("Old resolved one") and recent < html.index("Dismissed noise")
    assert "Problem likely" in html and "×6.2 the usual volume" in html
    assert reverse("newsroom:workspace", args=[incident.pk]) in html
    assert "1 update" in html


def test_the_dashboard_links_to_opening_an_incident(editor_client):
    html = editor_client.get(reverse("newsroom:dashboard")).content.decode()
    assert reverse("newsroom:incident_new") in html


def test_the_newsroom_speaks_french(editor_client, incident, mastodon):
    make_evidence(mastodon)
    html = editor_client.get(
        reverse("newsroom:dashboard"), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Ouvrir un incident" in html
    workspace = editor_client.get(
        reverse("newsroom:workspace", args=[incident.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    for phrase in ("Vérifier", "Rejeter", "Publier", "Preuves", "Rédiger une mise à jour"):
        assert phrase in workspace, phrase
