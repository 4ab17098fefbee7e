"""The FAQ of an incident: pre-filled from the reader questions, answered, published."""

import pytest
from django.urls import reverse

from incidents.models import FAQEntry
from incidents.services.faq import FAQConflict, faq_prefill, faq_save, faq_version
from incidents.services.updates import UpdateDraft, update_publish
from outagedesk.models import AuditEvent

HX = {"HTTP_HX_REQUEST": "true"}


def entry_data(entry, **overrides):
    prefix = f"faq{entry.pk}"
    data = {
        f"{prefix}-question": entry.question,
        f"{prefix}-answer": entry.answer,
        f"{prefix}-version": faq_version(entry),
        "action": "save",
    }
    data.update(
        {
            f"{prefix}-{k}" if k in ("question", "answer", "version") else k: v
            for k, v in overrides.items()
        }
    )
    return data


def test_prefill_from_the_seeded_questions(editor_client, incident):
    html = editor_client.get(reverse("newsroom:workspace", args=[incident.pk])).content.decode()
    assert "Start from the questions readers always ask" in html
    response = editor_client.post(reverse("newsroom:faq_prefill", args=[incident.pk]), **HX)
    html = response.content.decode()
    entries = list(incident.faq_entries.all())
    assert len(entries) == 4 and not any(e.is_published for e in entries)
    assert "Quand Whatsapp sera-t-il de nouveau opérationnel ?" in html
    alternatives = incident.faq_entries.get(question__startswith="Existe-t-il")
    assert "Telegram ou Signal" in alternatives.answer
    assert "{" not in alternatives.answer
    eta = incident.faq_entries.get(question__startswith="Quand")
    # An answer stays up for hours: it points to the page's last update, not to a clock time.
    assert "voir l'heure de la dernière mise à jour en haut de cette page" in eta.answer
    lost = incident.faq_entries.get(question__startswith="Est-ce que mes messages")
    assert "Liens officiels\u00a0: Centre d'aide\u00a0: https://faq.whatsapp.com/" in lost.answer
    # Twice adds nothing.
    assert faq_prefill(actor=None, incident=incident) == 0
    assert AuditEvent.objects.filter(action="faq.prefill").count() == 1


def test_write_and_publish_an_answer(
    editor_client, editor, incident, django_capture_on_commit_callbacks
):
    faq_prefill(actor=editor, incident=incident)
    entry = incident.faq_entries.first()
    url = reverse("newsroom:faq_save", args=[incident.pk, entry.pk])
    response = editor_client.post(
        url, entry_data(entry, answer="Pas encore d'heure.", action="publish"), **HX
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.answer == "Pas encore d'heure." and entry.is_published
    assert entry.updated_by == editor
    assert "Unpublish" in response.content.decode()
    assert AuditEvent.objects.filter(action="faq.publish", object_id=str(entry.pk)).exists()

    response = editor_client.post(url, entry_data(entry, action="unpublish"), **HX)
    entry.refresh_from_db()
    assert not entry.is_published


def test_an_empty_answer_cannot_be_published(editor_client, incident):
    faq_prefill(actor=None, incident=incident)
    entry = incident.faq_entries.first()
    url = reverse("newsroom:faq_save", args=[incident.pk, entry.pk])
    response = editor_client.post(url, entry_data(entry, answer="", action="publish"), **HX)
    assert response.status_code == 422
    assert "Write an answer before publishing it." in response.content.decode()
    entry.refresh_from_db()
    assert not entry.is_published


def test_stale_answer_gets_a_conflict_and_keeps_the_text(editor_client, editor, incident):
    faq_prefill(actor=None, incident=incident)
    entry = incident.faq_entries.first()
    stale = entry_data(entry)
    faq_save(
        actor=editor,
        entry=entry,
        question=entry.question,
        answer="Réponse de l'autre",
        expected_version=faq_version(entry),
    )
    url = reverse("newsroom:faq_save", args=[incident.pk, entry.pk])
    mine = {**stale, f"faq{entry.pk}-answer": "Ma réponse très travaillée"}
    response = editor_client.post(url, mine, **HX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this answer while you were editing." in html
    assert "Réponse de l&#x27;autre" in html
    assert "Ma réponse très travaillée" in html
    entry.refresh_from_db()
    assert entry.answer == "Réponse de l'autre"
    with pytest.raises(FAQConflict):
        faq_save(actor=editor, entry=entry, question="q", answer="a", expected_version="2000-01-01")


def test_add_a_question(editor_client, incident):
    response = editor_client.post(
        reverse("newsroom:faq_add", args=[incident.pk]),
        {"faqnew-question": "Les appels marchent-ils ?", "faqnew-answer": "Oui."},
        **HX,
    )
    assert response.status_code == 200
    entry = incident.faq_entries.get(question="Les appels marchent-ils ?")
    assert entry.language == "fr" and not entry.is_published
    html = response.content.decode()
    assert f'id="faq-{entry.pk}"' in html
    assert 'id="faq-add-form"' in html and 'hx-swap-oob="true"' in html


def test_adding_an_empty_question_is_refused(editor_client, incident):
    response = editor_client.post(
        reverse("newsroom:faq_add", args=[incident.pk]), {"faqnew-question": ""}, **HX
    )
    assert response.status_code == 422
    assert not FAQEntry.objects.filter(incident=incident).exists()


def test_publishing_an_answer_of_a_public_incident_refreshes_public_pages(
    editor, incident, django_capture_on_commit_callbacks
):
    from incidents.events import incident_changed

    seen = []

    def receiver(sender, incident, **kwargs):
        seen.append(incident.pk)

    update_publish(actor=editor, draft=UpdateDraft(incident=incident, title="a", message="b"))
    faq_prefill(actor=editor, incident=incident)
    entry = incident.faq_entries.first()
    incident_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            faq_save(
                actor=editor,
                entry=entry,
                question=entry.question,
                answer="ok",
                expected_version=faq_version(entry),
                publish=True,
            )
    finally:
        incident_changed.disconnect(receiver)
    assert seen == [incident.pk]


def test_an_entry_of_another_incident_is_not_found(editor_client, incident, seeded):
    seed_entry = FAQEntry.objects.filter(incident=None).first()
    response = editor_client.post(
        reverse("newsroom:faq_save", args=[incident.pk, seed_entry.pk]), {}
    )
    assert response.status_code == 404
