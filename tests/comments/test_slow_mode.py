"""Slow mode: an editor or moderator switches it on for one incident (POST with CSRF, audited,
role-checked); each reader may then post one comment per interval there, and is told why."""

import pytest

from comments.models import Comment
from incidents.models import Incident
from outagedesk.models import AuditEvent
from tests.support.comments import post_comment

pytestmark = pytest.mark.django_db


def switch(client, incident, enabled: str):
    return client.post(
        f"/moderation/incidents/{incident.pk}/slow-mode/",
        {"enabled": enabled, "next": f"/moderation/?incident={incident.pk}"},
    )


def test_a_moderator_switches_slow_mode_on_and_off_from_the_queue(moderator_client, incident):
    page = moderator_client.get(f"/moderation/?incident={incident.pk}").content.decode()
    assert "Turn slow mode on" in page

    response = switch(moderator_client, incident, "1")

    assert response.status_code == 303
    assert Incident.objects.get(pk=incident.pk).comment_slow_mode
    page = moderator_client.get(response["Location"]).content.decode()
    assert "Slow mode is on for" in page and "Turn slow mode off" in page

    switch(moderator_client, incident, "0")
    assert not Incident.objects.get(pk=incident.pk).comment_slow_mode
    events = AuditEvent.objects.filter(action="incident.comment_slow_mode").order_by("pk")
    assert [e.details["enabled"] for e in events] == [True, False]
    assert events[0].actor is not None


def test_an_editor_may_switch_it_too(editor_client, incident):
    assert switch(editor_client, incident, "1").status_code == 303
    assert Incident.objects.get(pk=incident.pk).comment_slow_mode


def test_readers_and_anonymous_visitors_cannot(client, reader_client, incident):
    assert switch(client, incident, "1")["Location"].startswith("/accounts/login/")
    assert switch(reader_client, incident, "1").status_code == 403
    assert client.get(f"/moderation/incidents/{incident.pk}/slow-mode/").status_code in (302, 405)
    assert not Incident.objects.get(pk=incident.pk).comment_slow_mode
    assert not AuditEvent.objects.filter(action="incident.comment_slow_mode").exists()


def test_switching_needs_the_csrf_token(csrf_client_factory, moderator, incident):
    response = switch(csrf_client_factory(moderator), incident, "1")
    assert response.status_code == 403
    assert not Incident.objects.get(pk=incident.pk).comment_slow_mode


def test_in_slow_mode_a_reader_waits_between_comments_and_is_told_why(client, incident):
    Incident.objects.filter(pk=incident.pk).update(comment_slow_mode=True)
    incident.refresh_from_db()

    first = post_comment(client, incident, text="Premier message ici", address="192.0.2.20")
    second = post_comment(client, incident, text="Deuxième message ici", address="192.0.2.20")
    other = post_comment(client, incident, text="Un autre lecteur", address="192.0.2.21")

    assert (first.status_code, second.status_code, other.status_code) == (303, 429, 303)
    html = second.content.decode()
    assert "Le mode lent est activé sur cette page" in html  # the French incident's language
    assert "toutes les 2 minutes" in html
    assert "Deuxième message ici" in html  # kept for later
    assert second["Retry-After"] == "120"
    assert Comment.objects.count() == 2
    section = client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()
    assert (
        "Mode lent activé\u00a0: chaque lecteur peut publier un commentaire toutes les 2 minutes."
        in section
    )


def test_without_slow_mode_a_reader_may_post_again_at_once(client, incident):
    codes = [
        post_comment(client, incident, text=f"Message {i} de Lyon", address="192.0.2.30")
        for i in range(2)
    ]
    assert codes[0].status_code == codes[1].status_code == 303
    section = client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()
    assert "Mode lent activé" not in section


def test_slow_mode_lowers_the_ceiling_of_the_page(client, incident, settings):
    settings.COMMENT_SLOW_MODE_RATE_PER_INCIDENT = 2
    Incident.objects.filter(pk=incident.pk).update(comment_slow_mode=True)
    incident.refresh_from_db()
    codes = [
        post_comment(client, incident, text=f"Lecteur {i} ici", address=f"192.0.2.{40 + i}")
        for i in range(3)
    ]
    assert [c.status_code for c in codes] == [303, 303, 429]
    assert "reçoit beaucoup de commentaires en ce moment" in codes[2].content.decode()
