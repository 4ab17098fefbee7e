"""One placeholder vocabulary for announcement templates, canned replies and FAQ answers: the
same name gives the same words wherever it is written, in French and in English."""

import importlib

import pytest
from django.apps import apps

from comments.models import CannedReply
from comments.selectors import canned_reply_fill
from incidents.models import ResponseTemplate
from incidents.placeholders import (
    placeholder_values,
    placeholders_fill,
    placeholders_fill_from,
    placeholders_known,
    placeholders_left,
    placeholders_unknown,
)
from incidents.services.updates import template_render
from incidents.services.verification import evidence_verify
from tests.factories import make_evidence

pytestmark = pytest.mark.django_db


def test_every_seeded_template_and_canned_reply_uses_only_known_names(seeded):
    assert {"service", "official_links", "last_update_time", "sources"} <= set(placeholders_known())
    for template in ResponseTemplate.objects.all():
        for text in (template.title, template.message, template.advice, template.call_to_action):
            assert placeholders_unknown(text) == [], (template.slug, text)
    for reply in CannedReply.objects.all():
        assert placeholders_unknown(reply.text) == [], (reply.category, reply.text)


def test_unknown_and_leftover_names_are_reported():
    text = "{service} {official_link} {x} {{y}} {service.__class__} {0}"
    assert placeholders_unknown(text) == ["official_link", "x", "y"]
    assert placeholders_left("Panne WhatsApp {x}, {x} et {service}") == ["x", "service"]
    assert placeholders_left("Panne WhatsApp") == []


def test_only_known_names_are_filled_by_plain_substitution():
    values = {"service": "WhatsApp", "x": "never"}
    assert placeholders_fill("{service} {x} {service!r} {0}", values) == (
        "WhatsApp {x} {service!r} {0}"
    )


def test_the_same_name_gives_the_same_words_in_a_template_and_a_canned_reply(
    incident, editor, status_page
):
    evidence_verify(actor=editor, evidence=make_evidence(status_page), incident=incident)
    text = "{service} | {alternatives} | {official_links} | {sources} | {status}"
    reply = CannedReply.objects.create(category="t", language="fr", question="q ?", text=text)
    template = ResponseTemplate.objects.create(
        slug="t", name="t", language="fr", tone="formal", purpose="update", title="t", message=text
    )
    announced = template_render(template=template, incident=incident).message
    assert canned_reply_fill(reply=reply, incident=incident) == announced
    service, alternatives, links, sources, status = announced.split(" | ")
    assert service == "WhatsApp"
    assert alternatives == "Telegram ou Signal"
    assert links.startswith("Centre d'aide\u00a0: https://faq.whatsapp.com/")
    assert sources == "la page de statut officielle de WhatsApp"
    assert status == "Présumé (brouillon)"


def test_values_follow_the_language_of_the_text(incident):
    english = placeholder_values(incident=incident, language="en")
    french = placeholder_values(incident=incident, language="fr")
    assert set(english) == set(french) == set(placeholders_known())
    assert english["eta_text"] == "No time for a return to normal has been announced yet."
    assert french["eta_text"] == "Aucune heure de retour à la normale n'a encore été annoncée."
    assert english["official_links"].startswith("Help centre: https://faq.whatsapp.com/")


def test_lasting_text_points_to_the_last_update_instead_of_a_clock_time(incident):
    text = "Dernière mise à jour : {last_update_time}."
    assert placeholders_fill_from(text, incident=incident, language="fr", lasting=True) == (
        "Dernière mise à jour : voir l'heure de la dernière mise à jour en haut de cette page."
    )
    filled = placeholders_fill_from(text, incident=incident, language="fr")
    assert "{" not in filled and " h " in filled


def test_without_official_links_the_incident_page_is_given(incident, settings):
    service = incident.service
    service.help_url = service.official_account_url = service.status_page_url = ""
    service.save()
    filled = placeholders_fill_from("{official_links}", incident=incident, language="en")
    assert filled == f"{settings.SITE_URL}{incident.get_absolute_url()}"


def test_stored_texts_with_the_old_name_are_migrated(seeded):
    reply = CannedReply.objects.create(
        category="m", language="fr", question="q ?", text="Source : {official_link}."
    )
    template = ResponseTemplate.objects.create(
        slug="m",
        name="m",
        language="fr",
        tone="formal",
        purpose="update",
        title="t",
        message="m",
        advice="Voir {official_link}",
    )
    for app in ("comments", "incidents"):
        migration = importlib.import_module(f"{app}.migrations.0003_one_placeholder_vocabulary")
        migration.rename_placeholder(apps, None)
    reply.refresh_from_db()
    template.refresh_from_db()
    assert reply.text == "Source : {official_links}."
    assert template.advice == "Voir {official_links}" and template.message == "m"
    assert placeholders_unknown(reply.text) == placeholders_unknown(template.advice) == []
