"""The embeddable banner: a small script, its data (open to any site, cacheable) and the iframe
variant, which is the only public page another site may frame."""

import gzip

import pytest
from django.conf import settings

from incidents.models import Service
from incidents.services.translations import (
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from tests.factories import make_incident
from tests.public.htmltools import parse_html, text_of


@pytest.mark.django_db
def test_banner_script_is_at_most_3_kb_gzipped(client):
    response = client.get("/embed/banner.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    size = len(gzip.compress(response.content, compresslevel=9))
    print(f"banner.js: {len(response.content)} bytes, {size} bytes gzipped")
    assert size <= 3072


@pytest.mark.django_db
def test_banner_script_sets_text_only_with_text_content(client):
    script = client.get("/embed/banner.js").content.decode()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "attachShadow" in script and 'role", "status"' in script
    assert "aria-label" in script and "localStorage" in script


@pytest.mark.django_db
def test_banner_json_lists_active_incidents_with_latest_update(client, active_incident):
    response = client.get("/embed/banner.json?service=whatsapp&lang=en")
    data = response.json()
    [item] = data["incidents"]
    latest = active_incident.updates.order_by("-published_at").first()
    assert item == {
        "id": "whatsapp-down-europe",
        "key": f"u{latest.pk}",
        "service": "whatsapp",
        "services": ["whatsapp"],
        # The editor's words: the latest update's title, never a label of our own.
        "headline": "WhatsApp confirms the outage",
        "title": "WhatsApp down in Europe",
        "status": "identified",
        "status_label": "Identified",
        "impact": "critical",
        "update_title": "WhatsApp confirms the outage",
        "updated_at": latest.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "url": f"{settings.SITE_URL}/en/incidents/whatsapp-down-europe/",
        "next_update_by": None,
        "next_update_text": "",
    }
    assert data["labels"]["close"] == "Close this alert"


@pytest.fixture
def translate_updates(django_capture_on_commit_callbacks):
    """Give every public update of an incident a version in a language, committed (so the
    public cache refreshes as it does after the newsroom adds a translation)."""

    def translate(incident, language="fr", *, title=True):
        with django_capture_on_commit_callbacks(execute=True):
            if title:
                incident_title_translate(
                    actor=None,
                    incident=incident,
                    language=language,
                    title=f"[{language}] {incident.title}",
                )
            for update in incident.updates.all():
                update_translation_add(
                    actor=None,
                    update=update,
                    language=language,
                    text=TranslationText(
                        title=f"[{language}] {update.title}", message="Texte traduit"
                    ),
                )

    return translate


@pytest.mark.django_db
def test_banner_json_speaks_the_requested_language_when_the_update_exists_in_it(
    client, active_incident, translate_updates
):
    translate_updates(active_incident, "fr")
    data = client.get("/embed/banner.json?service=whatsapp&lang=fr").json()
    assert data["lang"] == "fr"
    assert data["labels"]["close"] == "Fermer cette alerte"
    assert data["incidents"][0]["status_label"] == "Identifié"
    # The headline is the editor's title as published, in the version shown.
    assert data["incidents"][0]["headline"] == data["incidents"][0]["update_title"]
    assert data["incidents"][0]["update_title"].startswith("[fr] ")
    assert data["incidents"][0]["url"].endswith("/fr/incidents/whatsapp-down-europe/")


@pytest.mark.django_db
def test_banner_stays_in_the_content_language_without_a_version_in_the_requested_one(
    client, active_incident
):
    # French labels around an English update is what readers must never see.
    data = client.get("/embed/banner.json?service=whatsapp&lang=fr").json()
    assert data["lang"] == "en"
    assert data["labels"]["close"] == "Close this alert"
    assert data["incidents"][0]["status_label"] == "Identified"
    assert data["incidents"][0]["url"].endswith("/en/incidents/whatsapp-down-europe/")


@pytest.mark.django_db
def test_banner_json_filters_by_services(client, active_incident):
    Service.objects.create(slug="signal", name="Signal")
    assert client.get("/embed/banner.json?service=signal").json()["incidents"] == []
    both = client.get("/embed/banner.json?services=signal,%20WhatsApp").json()
    assert [i["id"] for i in both["incidents"]] == ["whatsapp-down-europe"]
    everything = client.get("/embed/banner.json").json()
    assert [i["id"] for i in everything["incidents"]] == ["whatsapp-down-europe"]
    junk = client.get("/embed/banner.json?service=%3Cscript%3E").json()
    assert [i["id"] for i in junk["incidents"]] == ["whatsapp-down-europe"]


@pytest.mark.django_db
def test_banner_json_is_empty_without_active_incident(client, seeded):
    make_incident(
        service=seeded, slug="draft", title="Draft", status="suspected", impact="critical"
    )
    assert client.get("/embed/banner.json?service=whatsapp").json()["incidents"] == []


@pytest.mark.django_db
def test_iframe_variant_may_be_framed_by_any_site(client, active_incident, translate_updates):
    translate_updates(active_incident, "fr")
    response = client.get("/embed/banner.html?service=whatsapp&lang=fr")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "script-src 'self';" in policy and "default-src 'none'" in policy
    page = parse_html(response.content)
    assert page.find("html").attrs["lang"] == "fr"
    assert page.find("div").attrs["role"] == "status"
    # The incident's title as the newsroom wrote it in French.
    assert text_of(page.find("a")) == f"[fr] {active_incident.title}"
    assert page.find("a").attrs["target"] == "_blank"
    assert page.find("meta", **{"http-equiv": "refresh"}).attrs["content"] == "60"


@pytest.mark.django_db
def test_iframe_variant_says_all_is_well_without_incident(client, seeded):
    page = parse_html(client.get("/embed/banner.html?service=whatsapp").content)
    assert "WhatsApp: no known problem" in text_of(page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/en/", "/en/incidents/whatsapp-down-europe/", "/api/v2/summary.json", "/embed/banner.json"],
)
def test_every_other_public_response_refuses_framing(client, active_incident, url):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
