"""Public pages per language: `/fr/…` and `/en/…`, the unprefixed addresses redirecting to the
reader's best language (cacheable per language), `hreflang` alternates, the language switch,
and junk prefixes or `lang` values leading to a page, never to an error."""

import pytest

from incidents.services.translations import (
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from tests.public.htmltools import json_ld, parse_html, text_of

BILINGUAL = "whatsapp-down-europe"


def live_blog(page) -> dict:
    return next(block for block in json_ld(page) if block["@type"] == "LiveBlogPosting")


FRENCH_ONLY = "whatsapp-panne-mondiale-2021-10-04"


@pytest.fixture
def bilingual(active_incident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident_title_translate(
            actor=None, incident=active_incident, language="fr", title="Panne de WhatsApp"
        )
        for update in active_incident.updates.all():
            update_translation_add(
                actor=None,
                update=update,
                language="fr",
                text=TranslationText(
                    title=f"Version française {update.pk}",
                    message="Les messages restent sur une coche grise.",
                ),
            )
    return active_incident


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [("fr-FR,fr;q=0.9,en;q=0.5", "fr"), ("en-GB,en;q=0.9", "en"), ("de-DE,de;q=0.9", "en")],
)
@pytest.mark.parametrize("path", ["/", f"/incidents/{BILINGUAL}/", "/subscribe/"])
def test_unprefixed_addresses_redirect_to_the_readers_language(
    client, active_incident, path, accept, expected
):
    response = client.get(path + "?from=banner", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == f"/{expected}{path}?from=banner"
    # A CDN may keep it, one copy per language.
    assert "Accept-Language" in response["Vary"]
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_language_cookie_wins_over_the_browser(client, active_incident):
    client.cookies["django_language"] = "fr"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/fr/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("de", "en"), ("xx", "en"), ("fr-ca", "fr"), ("FR", "fr"), ("en-us", "en")],
)
def test_an_unknown_prefix_leads_to_the_page_in_a_known_language(
    client, active_incident, prefix, expected
):
    response = client.get(f"/{prefix}/incidents/{BILINGUAL}/")
    assert response.status_code == 302
    assert response["Location"] == f"/{expected}/incidents/{BILINGUAL}/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_an_unknown_prefix_on_an_address_that_does_not_exist_is_a_plain_404(client, seeded):
    assert client.get("/de/nothing/here/").status_code == 404
    assert client.get("/zz/incidents/no-such-incident/").status_code in (302, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["", "de", "xx", "<script>", "fr" * 400, "%C3%A9", "en-US"])
def test_any_lang_value_gives_a_document_never_an_error(client, active_incident, lang):
    for url in (
        f"/embed/banner.json?service=whatsapp&lang={lang}",
        f"/embed/banner.html?service=whatsapp&lang={lang}",
        f"/feeds/incidents.atom?lang={lang}",
        f"/feeds/incidents.rss?lang={lang}",
        f"/incidents/{BILINGUAL}/feed.atom?lang={lang}",
        f"/api/v2/summary.json?lang={lang}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_a_bilingual_incident_has_both_pages_with_alternates_and_a_switch(client, bilingual):
    for language, other, locale in (("en", "fr", "en_GB"), ("fr", "en", "fr_FR")):
        response = client.get(f"/{language}/incidents/{BILINGUAL}/")
        assert response["Content-Language"] == language
        page = parse_html(response.content)
        assert page.find("html").attrs["lang"] == language
        alternates = {
            link.attrs["hreflang"]: link.attrs["href"]
            for link in page.find_all("link", rel="alternate")
            if "hreflang" in link.attrs
        }
        assert alternates == {
            "en": f"http://127.0.0.1:8000/en/incidents/{BILINGUAL}/",
            "fr": f"http://127.0.0.1:8000/fr/incidents/{BILINGUAL}/",
        }
        assert page.find("link", rel="canonical").attrs["href"] == alternates[language]
        assert page.find("meta", property="og:locale").attrs["content"] == locale
        assert live_blog(page)["inLanguage"] == language
        switch = page.find("nav", class_="language-switch")
        links = {a.attrs["hreflang"]: a for a in switch.find_all("a")}
        assert links[other].attrs["href"] == f"/{other}/incidents/{BILINGUAL}/"
        assert links[language].attrs["aria-current"] == "true"
        assert page.find("p", class_="language-missing") is None
    french = parse_html(client.get(f"/fr/incidents/{BILINGUAL}/").content)
    timeline = text_of(french.find("main"))
    assert "Version française" in timeline and "Messages are not sent" not in timeline


@pytest.mark.django_db
def test_a_page_asked_for_in_a_language_it_does_not_exist_in_is_wholly_in_its_own(client, seeded):
    response = client.get(f"/en/incidents/{FRENCH_ONLY}/")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    page = parse_html(response.content)
    assert page.find("html").attrs["lang"] == "fr"
    note = text_of(page.find("p", class_="language-missing"))
    assert note.startswith("La version anglaise de cette page n’existe pas encore")
    # Only the version that exists is offered to search engines, and it is the canonical one.
    alternates = [
        link.attrs["hreflang"]
        for link in page.find_all("link", rel="alternate")
        if "hreflang" in link.attrs
    ]
    assert alternates == ["fr"]
    canonical = page.find("link", rel="canonical").attrs["href"]
    assert canonical.endswith(f"/fr/incidents/{FRENCH_ONLY}/")
    assert live_blog(page)["inLanguage"] == "fr"


@pytest.mark.django_db
def test_home_pages_are_one_per_language_and_cached_apart(client, active_incident):
    english = client.get("/en/")
    french = client.get("/fr/")
    assert english["Content-Language"] == "en" and french["Content-Language"] == "fr"
    assert english["ETag"] != french["ETag"]
    assert "Cache-Control" in english and english["Cache-Control"].startswith("public")
    page = parse_html(french.content)
    assert page.find("html").attrs["lang"] == "fr"
    assert page.find("nav", class_="language-switch") is not None


@pytest.mark.django_db
def test_the_status_api_keeps_its_shape_and_shows_the_other_language_on_request(client, bilingual):
    primary = client.get("/api/v2/incidents.json").json()
    french = client.get("/api/v2/incidents.json?lang=fr").json()
    assert primary.keys() == french.keys()
    first = next(i for i in primary["incidents"] if i["id"] == BILINGUAL)
    first_fr = next(i for i in french["incidents"] if i["id"] == BILINGUAL)
    assert first.keys() == first_fr.keys()
    assert first["incident_updates"][0].keys() == first_fr["incident_updates"][0].keys()
    assert "Version française" not in first["incident_updates"][0]["body"]
    assert first_fr["incident_updates"][0]["body"].startswith("Version française")
    assert first_fr["shortlink"].endswith(f"/fr/incidents/{BILINGUAL}/")
