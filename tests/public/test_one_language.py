"""One language per page, everywhere: every public address, asked for in French and in English,
is wholly in the language it declares (`<html lang>`, the banner's `lang`, the feed's
`<language>`/`xml:lang`). The check knows both catalogues: any translated string of the other
language found in what a reader sees (text, aria-label, placeholder, title, alt) fails it.
Text marked with its own `lang` (the language switch naming each language in itself) is
what HTML provides for a passage in another language, and is left out."""

import json
import re
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import polib
import pytest
from django.conf import settings
from django.core.cache import cache as django_cache

from incidents.models import Incident
from incidents.services.translations import (
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from tests.public.htmltools import Element, parse_html
from tests.support.publishing import publish_update

ROOT = Path(settings.BASE_DIR)
SEEN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}")
FRENCH_INCIDENT = "whatsapp-panne-mondiale-2021-10-04"  # French only (demo data)
BILINGUAL = "whatsapp-down-europe"  # English, every update translated into French below


@cache
def catalogue_strings() -> dict[str, frozenset[str]]:
    """{"en": English strings, "fr": French strings} from every French catalogue: the pieces
    that differ between the languages and are long enough to mean something on their own."""
    english, french = set(), set()
    for path in ROOT.glob("**/locale/fr/LC_MESSAGES/django.po"):
        if ".venv" in path.parts:
            continue
        for entry in polib.pofile(str(path)):
            pairs = [(entry.msgid, entry.msgstr)]
            if entry.msgid_plural:
                pairs = [
                    (entry.msgid, entry.msgstr_plural.get(0, "")),
                    (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
                ]
            for msgid, msgstr in pairs:
                if msgstr and msgid != msgstr:
                    english.update(_pieces(msgid))
                    french.update(_pieces(msgstr))
    shared = english & french  # "Source", "Message", "Mobile"…: the same in both
    return {"en": frozenset(english - shared), "fr": frozenset(french - shared)}


def _pieces(text: str) -> list[str]:
    """The literal parts of a catalogue string around its placeholders, when distinctive."""
    found = []
    for part in PLACEHOLDER.split(text):
        part = " ".join(part.split()).strip(" :;,.!?…-–—()«»\u00a0\u202f")
        # Whole sentences and labels of two words or more; a lone word is too often the same
        # word in both languages or a proper name ("Signal", "Instagram").
        if len(part) >= 8 and " " in part and re.search(r"[A-Za-zÀ-ÿ]", part):
            found.append(part)
    return found


def _normalised(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _visible_text(node: Element, language: str) -> list[str]:
    if node.tag in ("script", "style", "template"):
        return []
    own = node.attrs.get("lang")
    if own and not own.startswith(language):
        return []  # a passage marked as another language (the switch's "Français")
    parts = [str(node.attrs[name]) for name in SEEN_ATTRIBUTES if node.attrs.get(name)]
    if (
        node.tag == "meta"
        and node.attrs.get("content")
        and (
            node.attrs.get("name") == "description"
            or str(node.attrs.get("property", "")).startswith("og:")
        )
    ):
        parts.append(node.attrs["content"])
    for child in node.children:
        parts.extend([child] if isinstance(child, str) else _visible_text(child, language))
    return parts


def other_language_strings(text: str, language: str) -> list[str]:
    other = "en" if language == "fr" else "fr"
    seen = _normalised(text)
    return sorted(
        s
        for s in catalogue_strings()[other]
        if re.search(r"(?<!\w)" + re.escape(_normalised(s)) + r"(?!\w)", seen)
    )


def _html_page(response) -> tuple[str, str]:
    page = parse_html(response.content)
    html = page.find("html")
    # A fragment (htmx) has no <html>: its language is the response's Content-Language.
    language = html.attrs["lang"] if html is not None else response.get("Content-Language", "")
    root = html if html is not None else page
    return language, "\n".join(_visible_text(root, language))


def _json_strings(value) -> list[str]:
    if isinstance(value, dict):
        return [
            s for k, v in value.items() if k not in ("url", "id", "key") for s in _json_strings(v)
        ]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return [value] if isinstance(value, str) else []


def _feed(response) -> tuple[str, str]:
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    language = (
        root.get("{http://www.w3.org/XML/1998/namespace}lang")
        or root.findtext("channel/language", "")
        or ""
    )
    return language[:2], "\n".join(t for t in root.itertext() if t.strip())


@pytest.fixture
def bilingual(active_incident):
    incident_title_translate(
        actor=None, incident=active_incident, language="fr", title="Panne de WhatsApp en Europe"
    )
    for update in active_incident.updates.all():
        update_translation_add(
            actor=None,
            update=update,
            language="fr",
            text=TranslationText(
                title=f"En français : {update.pk}",
                message="Les messages restent bloqués sur une coche grise.",
                advice="Utilisez les SMS en attendant.",
                sources_text="Downdetector, signalements des lecteurs",
            ),
        )
    django_cache.clear()
    return active_incident


def page_urls(language: str) -> list[str]:
    return [
        f"/{language}/",
        f"/{language}/incidents/{BILINGUAL}/",
        f"/{language}/incidents/{FRENCH_INCIDENT}/",
        f"/{language}/incidents/{BILINGUAL}/comments/",
        f"/{language}/incidents/{BILINGUAL}/comments/?fragment=1",
        f"/{language}/incidents/{FRENCH_INCIDENT}/comments/",
        f"/{language}/subscribe/?service=whatsapp",
        f"/{language}/incidents/no-such-incident/",  # the 404 page
        f"/embed/banner.html?service=whatsapp&lang={language}",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_public_page_is_in_the_language_it_declares(client, bilingual, language):
    checked = 0
    for url in page_urls(language):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        declared, text = _html_page(response)
        assert declared in ("fr", "en"), url
        if url.endswith(f"/incidents/{FRENCH_INCIDENT}/") or f"/{FRENCH_INCIDENT}/comments/" in url:
            # French content only: the page is wholly French whatever the prefix.
            assert declared == "fr", url
        else:
            assert declared == language, url
        assert other_language_strings(text, declared) == [], url
        # The newsroom's own words too: the bilingual incident's title in the page's language.
        titles = {"fr": "Panne de WhatsApp en Europe", "en": bilingual.title}
        other = titles["en" if declared == "fr" else "fr"]
        assert other not in text, url
        if f"/incidents/{BILINGUAL}/" in url and "fragment" not in url:
            assert titles[declared] in text, url
        checked += 1
    assert checked == len(page_urls(language))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_banner_data_and_feeds_are_in_one_language(client, bilingual, language):
    data = json.loads(client.get(f"/embed/banner.json?service=whatsapp&lang={language}").content)
    assert data["lang"] == language
    assert other_language_strings("\n".join(_json_strings(data)), language) == []
    for url in (
        f"/feeds/incidents.atom?lang={language}",
        f"/feeds/incidents.rss?lang={language}",
        f"/incidents/{BILINGUAL}/feed.atom?lang={language}",
    ):
        declared, text = _feed(client.get(url))
        assert declared == language, url
        assert other_language_strings(text, declared) == [], url


@pytest.mark.django_db
def test_the_check_finds_a_label_of_the_other_language():
    """The walk above cannot pass by seeing nothing: a French label in an English text fails."""
    french_label = next(iter(sorted(catalogue_strings()["fr"])))
    assert other_language_strings(f"WhatsApp is down. {french_label}.", "en") == [french_label]
    assert len(catalogue_strings()["fr"]) > 100 and len(catalogue_strings()["en"]) > 100


@pytest.mark.django_db
def test_an_english_page_of_a_french_only_incident_says_the_english_version_does_not_exist(
    client, seeded
):
    incident = Incident.objects.get(slug=FRENCH_INCIDENT)
    publish_update  # noqa: B018 - the demo's updates are published already
    response = client.get(f"/en/incidents/{incident.slug}/")
    page = parse_html(response.content)
    assert page.find("html").attrs["lang"] == "fr"
    note = page.find("p", class_="language-missing")
    assert "La version anglaise de cette page n’existe pas encore" in note.text()
