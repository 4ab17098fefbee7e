"""A promised next update: set in the composer (30 minutes by default, editable, none on a
resolution), kept on the update, and watched by the dashboard with a frozen clock: a warning five
minutes before it is due, "overdue" after, until a new update is published."""

import re
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import Incident, IncidentUpdate
from incidents.selectors.updates import (
    incident_next_update,
    incident_next_update_due,
    with_next_update_due,
)
from incidents.services.updates import UpdateDraft, UpdateError, update_publish
from tests.factories import make_incident

HX = {"HTTP_HX_REQUEST": "true"}
T0 = datetime(2026, 10, 4, 15, 40, tzinfo=UTC)


def at(moment: datetime):
    """Freeze Django's clock (everything here reads django.utils.timezone.now)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def publish_data(**overrides):
    data = {
        "title": "WhatsApp ne fonctionne plus",
        "message": "Les messages ne partent plus.",
        "status": "investigating",
        "language": "fr",
        "confirmation": "report",
        "seen_update": "",
    }
    data.update(overrides)
    return data


def selected_option(html: str) -> str:
    select = re.search(r'<select name="next_update_minutes".*?</select>', html, re.S).group(0)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen.group(1) if chosen else ""


def test_the_composer_promises_30_minutes_by_default(editor_client, incident):
    html = editor_client.get(reverse("newsroom:workspace", args=[incident.pk])).content.decode()
    assert "Next update by" in html
    assert selected_option(html) == "30"
    assert 'data-usual="30"' in html


def test_the_composer_promises_nothing_by_default_on_a_resolution(editor_client, incident):
    url = reverse("newsroom:composer", args=[incident.pk]) + "?template=fr-retabli"
    html = editor_client.get(url, **HX).content.decode()
    assert selected_option(html) == ""


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ({"next_update_minutes": "30"}, timedelta(minutes=30)),
        ({"next_update_minutes": "90"}, timedelta(minutes=90)),
        ({"next_update_minutes": ""}, None),
        ({}, timedelta(minutes=30)),  # a client that leaves it out gets the default
        ({"status": "resolved"}, None),
        ({"status": "resolved", "next_update_minutes": "60"}, timedelta(minutes=60)),
    ],
)
def test_publishing_keeps_the_promise_on_the_update(editor_client, incident, posted, expected):
    with at(T0):
        response = editor_client.post(
            reverse("newsroom:publish", args=[incident.pk]), publish_data(**posted), **HX
        )
    assert response.status_code == 200
    update = IncidentUpdate.objects.get(incident=incident)
    assert update.published_at == T0
    assert update.next_update_by == (T0 + expected if expected else None)
    incident.refresh_from_db()
    assert incident_next_update_due(incident) == update.next_update_by


def test_an_unknown_delay_is_refused_with_the_field_named(editor_client, incident):
    response = editor_client.post(
        reverse("newsroom:publish", args=[incident.pk]),
        publish_data(next_update_minutes="7"),
        **HX,
    )
    assert response.status_code == 422
    assert not IncidentUpdate.objects.filter(incident=incident).exists()
    html = response.content.decode()
    assert 'id="composer-next_update_minutes_error"' in html and "Select a valid choice" in html


def test_the_service_refuses_a_promise_beyond_a_day(editor, incident):
    with pytest.raises(UpdateError) as refused:
        update_publish(
            actor=editor,
            draft=UpdateDraft(incident=incident, title="a", message="b", next_update_minutes=1441),
        )
    assert refused.value.code == "bad_next_update"


def test_the_preview_shows_the_promise(editor_client, incident):
    with at(T0):
        response = editor_client.post(
            reverse("newsroom:preview", args=[incident.pk]),
            publish_data(next_update_minutes="45"),
            **HX,
        )
    html = response.content.decode()
    # Shown in the update's language and local time (Europe/Paris in October: UTC+2).
    assert "16:25" in html.split("preview-entry")[1]


def dashboard_at(client, moment: datetime) -> str:
    with at(moment):
        return client.get(reverse("newsroom:dashboard")).content.decode()


def warnings_of(html: str) -> str:
    return html.split('id="next-updates"')[1].split("</section>")[0]


def test_dashboard_warns_five_minutes_before_and_marks_overdue_until_a_new_update(
    editor_client, editor, incident
):
    with at(T0):
        update_publish(
            actor=editor,
            draft=UpdateDraft(incident=incident, title="En cours", message="On regarde."),
        )
    due = T0 + timedelta(minutes=30)

    quiet = dashboard_at(editor_client, due - timedelta(minutes=6))
    assert "promised update" not in warnings_of(quiet)
    assert "Next update by" in quiet and "Overdue" not in quiet

    soon = warnings_of(dashboard_at(editor_client, due - timedelta(minutes=4)))
    assert "1 promised update to publish" in soon
    assert "Next update due at" in soon and incident.title in soon

    late = dashboard_at(editor_client, due + timedelta(minutes=1))
    assert "Overdue: next update promised for" in warnings_of(late)
    assert "next-overdue" in late

    with at(due + timedelta(minutes=2)):
        update_publish(
            actor=editor,
            draft=UpdateDraft(incident=incident, title="Toujours en cours", message="Suite."),
        )
    cleared = dashboard_at(editor_client, due + timedelta(minutes=3))
    assert "Overdue" not in cleared and "promised update" not in warnings_of(cleared)
    assert "Next update by" in cleared

    # The workspace header says it too.
    with at(due + timedelta(minutes=40)):
        header = editor_client.get(reverse("newsroom:workspace", args=[incident.pk]))
    html = header.content.decode()
    heading = html.split('id="incident-header"')[1].split("</header>")[0]
    assert "Overdue: next update promised for" in heading


def test_a_resolution_without_a_promise_clears_the_warning(editor_client, editor, incident):
    with at(T0):
        update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))
    with at(T0 + timedelta(minutes=20)):
        update_publish(
            actor=editor,
            draft=UpdateDraft(incident=incident, title="c", message="d", status="resolved"),
        )
    html = dashboard_at(editor_client, T0 + timedelta(hours=2))
    assert "Overdue" not in html and "promised update" not in warnings_of(html)


def test_the_selector_state_and_its_annotation(editor, incident, seeded):
    assert incident_next_update_due(incident) is None  # nothing published yet
    with at(T0):
        update = update_publish(
            actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b")
        )
    assert incident_next_update(incident, now=T0).state == "scheduled"
    assert incident_next_update(incident, now=T0 + timedelta(minutes=26)).state == "due_soon"
    assert incident_next_update(incident, now=T0 + timedelta(minutes=30)).state == "overdue"

    annotated = with_next_update_due(Incident.objects.filter(pk=incident.pk)).get()
    with CaptureQueriesContext(connection) as queries:
        assert incident_next_update_due(annotated) == update.next_update_by
    assert len(queries) == 0


def test_dashboard_query_count_does_not_grow_with_promises(editor_client, editor, seeded):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            editor_client.get(reverse("newsroom:dashboard"))
        return len(queries)

    def promised_incident(n: int) -> None:
        incident = make_incident(
            service=seeded, slug=f"promise-{n}", title=f"Promise {n}", status="investigating"
        )
        update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))

    promised_incident(0)
    one = count()
    for n in range(1, 6):
        promised_incident(n)
    assert count() == one
