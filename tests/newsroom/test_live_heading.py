"""The workspace heading, the dashboard and the detector's line follow renames and resolutions
without a reload."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from incidents.models import DetectorState
from incidents.services.updates import UpdateDraft, update_publish
from tests.newsroom.test_incident_state import state_data

HX = {"HTTP_HX_REQUEST": "true"}


def header_of(html: str) -> str:
    match = re.search(r'<header id="incident-header".*?</header>', html, re.S)
    assert match, "no header in the answer"
    return match.group(0)


def test_saving_a_new_title_swaps_the_heading_out_of_band(editor_client, incident):
    response = editor_client.post(
        reverse("newsroom:incident_state", args=[incident.pk]),
        state_data(incident, title="WhatsApp : messages bloqués", status="investigating"),
        **HX,
    )
    assert response.status_code == 200
    header = header_of(response.content.decode())
    assert 'hx-swap-oob="true"' in header
    assert "<h1>WhatsApp : messages bloqués</h1>" in header
    assert "Investigating" in header


def test_a_refused_state_form_leaves_the_heading_alone(editor_client, incident):
    response = editor_client.post(
        reverse("newsroom:incident_state", args=[incident.pk]),
        state_data(incident, title=""),
        **HX,
    )
    assert response.status_code == 422
    assert 'id="incident-header"' not in response.content.decode()


def detector_line(html: str) -> str:
    section = html.split('id="detector-title"')[1].split("</section>")[0]
    return section


def test_dashboard_detector_line_after_rename_and_resolution(editor_client, editor, incident):
    DetectorState.objects.create(
        service=incident.service,
        level="likely",
        ratio=4.2,
        since=timezone.now() - timedelta(minutes=15),
        suspected_incident=incident,
    )
    dashboard = reverse("newsroom:dashboard")
    line = detector_line(editor_client.get(dashboard).content.decode())
    assert "Problem likely" in line and "open the draft" in line

    editor_client.post(
        reverse("newsroom:incident_state", args=[incident.pk]),
        state_data(incident, title="WhatsApp en panne", status="investigating"),
        **HX,
    )
    incident.refresh_from_db()
    line = detector_line(editor_client.get(dashboard).content.decode())
    assert "open the draft" not in line and "follow “WhatsApp en panne”" in line

    update_publish(
        actor=editor,
        draft=UpdateDraft(
            incident=incident, title="Rétabli", message="Ça remarche.", status="resolved"
        ),
    )
    html = editor_client.get(dashboard).content.decode()
    line = detector_line(html)
    assert "open the draft" not in line and "Problem likely" not in line
    assert "“WhatsApp en panne” resolved at" in line
    assert "reports still ×4.2 the usual volume" in line

    workspace = editor_client.get(reverse("newsroom:workspace", args=[incident.pk]))
    header = header_of(workspace.content.decode())
    assert "Detector: Problem likely" not in header and "reports still ×4.2" in header
