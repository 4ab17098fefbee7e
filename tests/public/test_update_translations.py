"""An update's translation: written through the one service, cleaned and capped like the
original, audited, and shown at once on the public page in its language."""

import pytest

from incidents.models import IncidentUpdateTranslation
from incidents.services.translations import (
    TranslationError,
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from outagedesk.models import AuditEvent
from tests.public.htmltools import parse_html, text_of

PAGE_FR = "/fr/incidents/whatsapp-down-europe/"


def latest(incident):
    return incident.updates.order_by("-published_at").first()


@pytest.mark.django_db
def test_a_translation_is_cleaned_and_capped_like_the_original(active_incident, editor):
    translation = update_translation_add(
        actor=editor,
        update=latest(active_incident),
        language="fr",
        text=TranslationText(
            title="<b>Panne</b> <script>alert(1)</script>confirmée\n" + "x" * 400,
            message='<img src=x onerror="alert(1)">Les messages <i>restent</i> bloqués.',
            advice="<a href='javascript:alert(1)'>Utilisez</a> les SMS.",
            call_to_action="Suivez cette page" + "!" * 500,
        ),
    )
    translation.refresh_from_db()
    assert "<" not in translation.title and "alert(1)" not in translation.title
    assert "\n" not in translation.title and len(translation.title) <= 200
    assert translation.message == "Les messages restent bloqués."
    assert "javascript" not in translation.advice and translation.advice.endswith("les SMS.")
    assert len(translation.call_to_action) <= 300


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "message", "code"),
    [
        ("de", "Titel", "Nachricht", "bad_language"),
        ("en", "Same language", "Not a translation", "same_language"),
        ("fr", "<script></script>", "Texte", "empty"),
        ("fr", "Titre", "   ", "empty"),
    ],
)
def test_bad_translations_are_refused(active_incident, editor, language, title, message, code):
    with pytest.raises(TranslationError) as refused:
        update_translation_add(
            actor=editor,
            update=latest(active_incident),
            language=language,
            text=TranslationText(title=title, message=message),
        )
    assert refused.value.code == code
    assert not IncidentUpdateTranslation.objects.exists()


@pytest.mark.django_db
def test_adding_then_replacing_is_audited_and_keeps_one_version(active_incident, editor):
    update = latest(active_incident)
    for title in ("Première version", "Version corrigée"):
        update_translation_add(
            actor=editor,
            update=update,
            language="fr",
            text=TranslationText(title=title, message="Les messages restent bloqués."),
        )
    assert IncidentUpdateTranslation.objects.get(update=update).title == "Version corrigée"
    events = list(AuditEvent.objects.filter(action__startswith="update.translation").order_by("pk"))
    assert [e.action for e in events] == [
        "update.translation_added",
        "update.translation_replaced",
    ]
    assert events[1].details["previous_title"] == "Première version"
    assert events[1].actor == editor


@pytest.mark.django_db
def test_the_public_page_shows_the_translation_as_soon_as_it_is_added(
    client, active_incident, editor, django_capture_on_commit_callbacks
):
    before = parse_html(client.get(PAGE_FR).content)
    assert before.find("html").attrs["lang"] == "en"  # the French version does not exist yet
    with django_capture_on_commit_callbacks(execute=True):
        for update in active_incident.updates.all():
            update_translation_add(
                actor=editor,
                update=update,
                language="fr",
                text=TranslationText(title=f"Titre {update.pk}", message="Texte en français."),
            )
    # Every update exists in French, but the incident's title does not: a French page would
    # head with an English title, so the page stays English.
    middle = parse_html(client.get(PAGE_FR).content)
    assert middle.find("html").attrs["lang"] == "en"
    with django_capture_on_commit_callbacks(execute=True):
        incident_title_translate(
            actor=editor, incident=active_incident, language="fr", title="Panne en Europe"
        )
    after = parse_html(client.get(PAGE_FR).content)
    assert after.find("html").attrs["lang"] == "fr"
    assert "Texte en français." in text_of(after.find("main"))
    assert text_of(after.find("p", class_="incident-title")) == "Panne en Europe"
    assert text_of(after.find("title")).startswith("Panne en Europe – ")
    english = parse_html(client.get("/en/incidents/whatsapp-down-europe/").content)
    assert text_of(english.find("p", class_="incident-title")) == active_incident.title


@pytest.mark.django_db
def test_the_incident_title_in_another_language_is_cleaned_audited_and_replaceable(
    active_incident, editor
):
    incident = incident_title_translate(
        actor=editor,
        incident=active_incident,
        language="fr",
        title="<b>Panne</b> <script>alert(1)</script>en Europe\n" + "x" * 400,
    )
    title = incident.title_in("fr")
    assert "<" not in title and "alert(1)" not in title and "\n" not in title
    assert title.startswith("Panne en Europe") and len(title) <= 200
    assert incident.title_in("en") == active_incident.title  # the original is untouched
    incident_title_translate(
        actor=editor, incident=incident, language="fr", title="Panne de WhatsApp en Europe"
    )
    active_incident.refresh_from_db()
    assert active_incident.title_in("fr") == "Panne de WhatsApp en Europe"
    assert active_incident.version == incident.version + 1  # an open form is now stale
    events = list(AuditEvent.objects.filter(action__startswith="incident.title").order_by("pk"))
    assert [e.action for e in events] == [
        "incident.title_translated",
        "incident.title_translation_replaced",
    ]
    assert events[1].details["previous_title"] == title and events[1].actor == editor
    for language, text, code in [
        ("de", "Titel", "bad_language"),
        ("en", "Same", "same_language"),
        ("fr", "<script></script>", "empty"),
    ]:
        with pytest.raises(TranslationError) as refused:
            incident_title_translate(
                actor=editor, incident=active_incident, language=language, title=text
            )
        assert refused.value.code == code
    active_incident.refresh_from_db()
    assert active_incident.title_translations == {"fr": "Panne de WhatsApp en Europe"}
