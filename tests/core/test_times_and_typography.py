"""One date format per language (outagedesk.lib.times) and French typography
(outagedesk.lib.typography): the functions every public surface calls, the template filters
over them, and the French catalogues of the reader-facing apps written with French spacing."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import translation

from outagedesk.lib.times import human_datetime, human_time
from outagedesk.lib.typography import NBSP, NNBSP, french_typography

ROOT = Path(__file__).resolve().parents[2]
MOMENT = datetime(2026, 11, 30, 15, 17, 42, tzinfo=UTC)


def test_one_date_format_per_language():
    assert human_datetime(MOMENT, "en") == "30 Nov 2026, 15:17"
    assert human_datetime(MOMENT, "fr") == "30/11/2026 15:17"
    assert human_datetime(datetime(2026, 9, 3, 7, 5, tzinfo=UTC), "en") == "3 Sep 2026, 07:05"
    assert human_time(MOMENT, "fr") == human_time(MOMENT, "en") == "15:17"
    paris = timezone(timedelta(hours=1))
    assert human_datetime(MOMENT, "fr", zone=paris) == "30/11/2026 16:17"
    assert human_datetime(None, "en") == ""


def test_french_typography():
    assert french_typography("Attention: panne!") == f"Attention{NBSP}: panne{NNBSP}!"
    assert french_typography("Quoi ? Vraiment ;") == f"Quoi{NNBSP}? Vraiment{NNBSP};"
    assert french_typography("« bonjour »") == f"«{NBSP}bonjour{NBSP}»"
    assert french_typography("«oui»") == f"«{NBSP}oui{NBSP}»"
    # Addresses and clock times are not punctuation.
    text = "Voir https://example.org/a?b=1&c=2 à 15:17!"
    assert french_typography(text) == f"Voir https://example.org/a?b=1&c=2 à 15:17{NNBSP}!"
    assert french_typography(french_typography("Déjà : oui !")) == french_typography("Déjà : oui !")


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", f"Panne{NBSP}: oui{NNBSP}?"), ("en", "Panne: oui?")]
)
def test_typography_filter_only_changes_french_pages(language, expected):
    colon = Template("{% load outagedesk_tags %}Telegram{% colon %} environ")
    with translation.override(language):
        written = colon.render(Context({}))
    assert written == ("Telegram\u00a0: environ" if language == "fr" else "Telegram: environ")
    template = Template("{% load outagedesk_tags %}{{ text|typography }} {{ when|human_datetime }}")
    with translation.override(language):
        html = template.render(Context({"text": "Panne: oui?", "when": MOMENT}))
    assert html.startswith(expected)
    assert html.endswith("30/11/2026 15:17" if language == "fr" else "30 Nov 2026, 15:17")


@pytest.mark.parametrize(
    "app", ["public", "comments", "notifications", "incidents", "newsroom", ""]
)
def test_french_catalogues_use_french_spacing(app):
    # "" is the project's own catalogue (base templates, error pages, settings).
    catalogue = polib.pofile(str(ROOT / app / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    wrong = []
    for entry in catalogue:
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text and french_typography(text) != text:
                wrong.append(text)
    assert wrong == []
