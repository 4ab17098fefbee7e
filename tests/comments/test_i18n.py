"""The comment section and the queue in French; every French message is translated."""

import re
from pathlib import Path

import pytest

from comments.services import comment_submit

pytestmark = pytest.mark.django_db

CATALOG = Path(__file__).resolve().parents[2] / "comments/locale/fr/LC_MESSAGES/django.po"


def test_every_french_message_is_translated_and_none_is_fuzzy():
    text = CATALOG.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert len(entries) > 150
    for entry in entries:
        if not re.search(r"^msgid ", entry, re.MULTILINE):
            continue  # an obsolete entry (#~), kept by makemessages for history
        assert "#, fuzzy" not in entry, entry
        # A msgstr may be wrapped: "" then continuation lines, all of which count.
        translations = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, re.MULTILINE)
        assert translations and all(t.replace('"', "").strip() for t in translations), entry


def test_french_reader_sees_the_section_in_french(client, incident):
    html = client.get(
        f"/en/incidents/{incident.slug}/comments/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Ajouter un commentaire" in html
    assert "Les commentaires s'affichent une fois lus par un modérateur." in html
    assert "0 commentaire de lecteur" in html


def test_french_moderator_sees_the_queue_in_french(moderator_client, incident):
    comment_submit(incident=incident, name="x", email="", text="Quel con", address="192.0.2.1")
    html = moderator_client.get("/moderation/?queue=rejected", HTTP_ACCEPT_LANGUAGE="fr").content
    html = html.decode()
    assert "Modération" in html and "Approuver" in html
    assert "Mot interdit\u00a0: con" in html
    assert "motif\u00a0: Injurieux" in html
