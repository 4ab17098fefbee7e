"""Publishing timestamped updates: placeholders, sources, status, notifications, the events
other apps listen to, append-only corrections and two editors publishing at once."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from incidents.events import incident_changed, update_published
from incidents.models import IncidentUpdate, ResponseTemplate
from incidents.placeholders import markers_left
from incidents.services.incidents import incident_dismiss
from incidents.services.updates import (
    TextNotReady,
    UpdateConflict,
    UpdateDraft,
    UpdateError,
    format_time,
    notify_default,
    template_render,
    update_publish,
)
from incidents.services.verification import evidence_verify
from outagedesk.models import AuditEvent
from tests.factories import make_evidence, make_incident


@pytest.fixture
def received():
    calls = []

    def on_update(sender, update, **kwargs):
        calls.append(("update_published", update.pk))

    def on_incident(sender, incident, **kwargs):
        calls.append(("incident_changed", incident.pk))

    update_published.connect(on_update)
    incident_changed.connect(on_incident)
    yield calls
    update_published.disconnect(on_update)
    incident_changed.disconnect(on_incident)


def form_data(**overrides):
    data = {
        "title": "{service} est hors service",
        "message": "{service} ne fonctionne plus depuis {since}. Touché : {components}.",
        "advice": "En attendant : {alternatives}.",
        "call_to_action": "Suivez cette page.",
        "status": "identified",
        "language": "fr",
        "confirmation": "confirmed",
        "notify": "on",
        "seen_update": "0",
        "template": "fr-hors-service",
    }
    data.update(overrides)
    return data


@pytest.fixture
def verified(editor, incident, downdetector, mastodon):
    items = [make_evidence(downdetector), make_evidence(mastodon)]
    for item in items:
        evidence_verify(actor=editor, evidence=item, incident=incident)
    return items


def test_publishing_from_the_composer(
    editor_client, incident, verified, received, django_capture_on_commit_callbacks
):
    incident.components.set(incident.service.components.filter(slug__in=["messages", "calls"]))
    url = reverse("newsroom:publish", args=[incident.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, form_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    update = IncidentUpdate.objects.get(incident=incident)
    assert update.title == "WhatsApp est hors service"
    assert "Messages, Appels vocaux et vidéo" in update.message
    assert "{" not in update.message
    assert update.advice == "En attendant : Telegram ou Signal."
    assert update.sources_text == "Selon Downdetector et des utilisateurs sur Mastodon"
    assert update.is_confirmed and update.notify and update.status == "identified"
    assert update.author.username == "edith"
    assert abs(update.published_at - timezone.now()) < timedelta(minutes=1)
    assert set(update.evidence.all()) == set(verified)

    incident.refresh_from_db()
    assert incident.is_public and incident.status == "identified"
    assert received == [("update_published", update.pk), ("incident_changed", incident.pk)]
    event = AuditEvent.objects.get(action="update.publish")
    assert event.actor.username == "edith" and event.details["template"] == "fr-hors-service"

    html = response.content.decode()
    assert "WhatsApp est hors service" in html
    assert 'id="timeline"' in html and 'hx-swap-oob="true"' in html
    assert "Published at" in html


def test_time_placeholder_is_the_moment_of_publication(editor, incident):
    update = update_publish(
        actor=editor,
        draft=UpdateDraft(incident=incident, title="Point à {time}", message="Rien de neuf."),
    )
    assert update.title == f"Point à {format_time(update.published_at, 'fr')}"


def test_template_render_fills_every_placeholder(incident, editor, status_page):
    incident.regions = ["world"]
    incident.save()
    incident.components.set(incident.service.components.filter(slug="messages"))
    # An earlier update described the outage; the status page was verified after it, so a
    # resolution can rest on it.
    earlier = update_publish(
        actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b")
    )
    IncidentUpdate.objects.filter(pk=earlier.pk).update(
        published_at=timezone.now() - timedelta(minutes=30)
    )
    incident.refresh_from_db()
    evidence_verify(actor=editor, evidence=make_evidence(status_page), incident=incident)
    for template in ResponseTemplate.objects.all():
        draft = template_render(template=template, incident=incident)
        for text in (draft.title, draft.message, draft.advice, draft.call_to_action):
            assert "{" not in text, (template.slug, text)
            assert markers_left(text) == [], (template.slug, text)
    french = template_render(
        template=ResponseTemplate.objects.get(slug="fr-problemes-connexion"), incident=incident
    )
    assert "(Messages, le monde entier)" in french.message
    english = template_render(
        template=ResponseTemplate.objects.get(slug="en-resolved"), incident=incident
    )
    assert "according to the official WhatsApp status page" in english.message
    know = template_render(
        template=ResponseTemplate.objects.get(slug="fr-ce-que-nous-savons"), incident=incident
    )
    # Advice stays advice; the official links are the call to action.
    assert "https://" not in know.advice
    assert "Centre d'aide\u00a0: https://faq.whatsapp.com/" in know.call_to_action


def test_unknown_braces_are_refused_naming_the_field(editor, incident):
    with pytest.raises(TextNotReady) as refused:
        update_publish(
            actor=editor,
            draft=UpdateDraft(
                incident=incident, title="Panne {service}", message="Code {x} et {{y}}"
            ),
        )
    assert refused.value.field == "message"
    assert refused.value.leftovers == ["{x}", "{y}"]
    assert incident.updates.count() == 0


def test_notify_defaults(editor, incident):
    assert notify_default(incident=incident, status="investigating")  # a new incident
    first = update_publish(
        actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b")
    )
    assert first.notify
    incident.refresh_from_db()
    follow_up = update_publish(
        actor=editor, draft=UpdateDraft(incident=incident, title="c", message="d")
    )
    assert not follow_up.notify  # same status: a small follow-up
    incident.refresh_from_db()
    status_change = update_publish(
        actor=editor,
        draft=UpdateDraft(incident=incident, title="e", message="f", status="monitoring"),
    )
    assert status_change.notify
    incident.refresh_from_db()
    silenced = update_publish(
        actor=editor,
        draft=UpdateDraft(
            incident=incident, title="g", message="h", status="resolved", notify=False
        ),
    )
    assert not silenced.notify  # the editor's switch wins
    assert notify_default(incident=incident, status="resolved")


def test_publishing_resolved_resolves_the_incident(
    editor, incident, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))
        incident.refresh_from_db()
        update_publish(
            actor=editor,
            draft=UpdateDraft(incident=incident, title="Rétabli", message="ok", status="resolved"),
        )
    incident.refresh_from_db()
    assert incident.status == "resolved" and incident.resolved_at is not None
    assert received.count(("incident_changed", incident.pk)) == 2


def test_nothing_is_announced_when_the_transaction_rolls_back(
    editor, incident, received, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))
        raise RuntimeError("rolled back")
    assert callbacks == [] and received == []
    assert not incident.updates.exists()


def test_a_dismissed_draft_cannot_be_published(editor, incident):
    incident_dismiss(actor=editor, incident=incident, reason="bot storm")
    with pytest.raises(UpdateError) as refused:
        update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))
    assert refused.value.code == "dismissed"


def test_empty_title_or_message_is_refused(editor, incident):
    with pytest.raises(UpdateError):
        update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="  ", message="b"))
    with pytest.raises(UpdateError):
        update_publish(
            actor=editor,
            draft=UpdateDraft(incident=incident, title="a", message="<script></script>"),
        )


# --- Append-only and corrections --------------------------------------------------------------


def test_a_correction_is_a_new_update_and_the_original_is_untouched(
    editor_client, editor, incident, received, django_capture_on_commit_callbacks
):
    original = update_publish(
        actor=editor,
        draft=UpdateDraft(incident=incident, title="Panne en France", message="Depuis 14 h."),
    )
    before = IncidentUpdate.objects.filter(pk=original.pk).values().get()
    data = form_data(
        title="Panne en France et en Belgique",
        message="Depuis 14 h, en France et en Belgique.",
        confirmation="report",
        corrects=str(original.pk),
        correction_note="La Belgique est aussi touchée.",
        seen_update=str(original.pk),
    )
    del data["notify"]  # the composer opens corrections with the switch off
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("newsroom:publish", args=[incident.pk]), data)
    assert response.status_code == 302
    assert IncidentUpdate.objects.filter(pk=original.pk).values().get() == before
    correction = incident.updates.exclude(pk=original.pk).get()
    assert correction.corrects == original
    assert correction.correction_note == "La Belgique est aussi touchée."
    assert correction.status == "investigating"  # a correction does not move the incident on
    assert not correction.notify
    assert AuditEvent.objects.filter(action="update.correct", object_id=str(correction.pk)).exists()
    assert ("update_published", correction.pk) in received

    page = editor_client.get(reverse("newsroom:workspace", args=[incident.pk])).content.decode()
    assert "Corrects the update of" in page and "La Belgique est aussi touchée." in page


def test_a_correction_needs_a_note(editor, incident):
    original = update_publish(
        actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b")
    )
    with pytest.raises(UpdateError) as refused:
        update_publish(
            actor=editor,
            draft=UpdateDraft(incident=incident, title="a", message="c", corrects=original),
        )
    assert refused.value.code == "correction_note_required"


def test_a_correction_cannot_point_at_another_incident(editor, incident, seeded):
    other = make_incident(service=seeded, slug="other", title="Other")
    foreign = update_publish(
        actor=editor, draft=UpdateDraft(incident=other, title="a", message="b")
    )
    with pytest.raises(UpdateError):
        update_publish(
            actor=editor,
            draft=UpdateDraft(
                incident=incident, title="a", message="c", corrects=foreign, correction_note="x"
            ),
        )


def test_the_composer_opens_a_correction_prefilled(editor_client, editor, incident):
    original = update_publish(
        actor=editor,
        draft=UpdateDraft(incident=incident, title="Titre initial", message="Texte initial"),
    )
    response = editor_client.get(
        reverse("newsroom:composer", args=[incident.pk]),
        {"correct": original.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Correct an update" in html
    assert 'value="Titre initial"' in html and "Texte initial" in html
    assert f'name="corrects" value="{original.pk}"' in html
    assert "What changed" in html


def test_no_newsroom_url_edits_or_deletes_a_published_update():
    from newsroom.urls import urlpatterns

    for pattern in urlpatterns:
        assert "update" not in str(pattern.pattern)
        assert "delete" not in str(pattern.pattern)


# --- Two editors publishing at once -------------------------------------------------------------


def test_second_editor_publishing_on_a_stale_composer_gets_a_conflict(
    editor_client, editor, incident
):
    url = reverse("newsroom:publish", args=[incident.pk])
    # Both editors opened the composer when nothing was published (seen_update=0).
    first = editor_client.post(
        url, form_data(title="Premier", confirmation="report"), HTTP_HX_REQUEST="true"
    )
    assert first.status_code == 200
    mine = form_data(
        title="Mon titre à moi",
        message="Un message long que je ne veux pas perdre.",
        confirmation="report",
    )
    second = editor_client.post(url, mine, HTTP_HX_REQUEST="true")
    assert second.status_code == 409
    html = second.content.decode()
    assert "Another update was published while you were writing" in html
    assert "Premier" in html
    assert 'value="Mon titre à moi"' in html
    assert "Un message long que je ne veux pas perdre." in html
    assert incident.updates.count() == 1

    latest = incident.updates.get()
    assert f'name="seen_update" value="{latest.pk}"' in html
    again = editor_client.post(url, {**mine, "seen_update": str(latest.pk)}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert incident.updates.count() == 2


def test_service_level_conflict(editor, incident):
    update_publish(
        actor=editor,
        draft=UpdateDraft(incident=incident, title="a", message="b", expected_last_update_id=0),
    )
    with pytest.raises(UpdateConflict) as conflict:
        update_publish(
            actor=editor,
            draft=UpdateDraft(incident=incident, title="c", message="d", expected_last_update_id=0),
        )
    assert conflict.value.latest.title == "a"


def test_blocked_confirmation_keeps_the_text_and_says_why(
    editor_client, incident, mastodon, editor
):
    evidence_verify(actor=editor, evidence=make_evidence(mastodon), incident=incident)
    url = reverse("newsroom:publish", args=[incident.pk])
    response = editor_client.post(url, form_data(title="Mon titre"), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    html = response.content.decode()
    assert "cannot state a confirmed outage yet" in html
    assert "Confirmed is blocked:" in html
    assert "1 independent verified source (Mastodon #WhatsappDown); 2 needed" in html
    assert 'value="Mon titre"' in html
    assert not incident.updates.exists()


def test_admin_override_from_the_composer(admin_client_, incident, mastodon, editor):
    evidence_verify(actor=editor, evidence=make_evidence(mastodon), incident=incident)
    url = reverse("newsroom:publish", args=[incident.pk])
    page = admin_client_.get(reverse("newsroom:workspace", args=[incident.pk])).content.decode()
    assert "As an admin you may override it with a written reason." in page
    refused = admin_client_.post(url, form_data(), HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    assert "Write why you override the two-source rule." in refused.content.decode()
    done = admin_client_.post(
        url, form_data(override_reason="Meta confirmed by email"), HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200
    update = incident.updates.get()
    assert update.is_confirmed and update.confirmation_override_reason == "Meta confirmed by email"
    assert "Confirmed by admin override: Meta confirmed by email" in done.content.decode()
