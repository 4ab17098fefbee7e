"""`/<lang>/incidents/<slug>/card.png`: the social card networks show when a reader shares the page,
named in og:image and twitter:image, redrawn after a change, in the incident's language."""

import io
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from PIL import Image

from incidents.models import Incident
from public import card
from public.render import status_line
from tests.public.htmltools import parse_html

PAGE = "/en/incidents/whatsapp-down-europe/"
CARD = PAGE + "card.png"


def image(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content))


@pytest.mark.django_db
def test_card_is_a_1200_by_630_png_in_the_hero_colour(client, active_incident):
    response = client.get(CARD)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = image(response)
    assert picture.format == "PNG" and picture.size == (1200, 630)
    # The band on top has the critical tone's red, like the page's hero.
    assert picture.convert("RGB").getpixel((5, 5)) == (0xB3, 0x26, 0x1E)
    again = client.get(CARD, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_the_page_names_its_card_with_its_size(client, active_incident):
    page = parse_html(client.get(PAGE).content)
    meta: dict[Any, Any] = {
        m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content")
        for m in page.find_all("meta")
    }
    og = meta["og:image"]
    assert og == meta["twitter:image"] and f"{settings.SITE_URL}{CARD}?v=" in og
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["twitter:card"] == "summary_large_image"
    assert client.get(og.removeprefix(settings.SITE_URL)).status_code == 200


@pytest.mark.django_db
def test_card_words_follow_the_page_in_the_incident_language(client, active_incident, change):
    words = card.incident_card(active_incident)
    assert words.title == "WhatsApp down in Europe"
    assert words.status == "Regional outage · Critical impact · Identified · Confirmed"
    assert words.footer.startswith("Last update: ") and words.footer.endswith(" UTC")
    assert words.tone == status_line(active_incident, []).tone == "critical"
    before = client.get(CARD).content
    change(active_incident, impact=Incident.Impact.MINOR)
    after = client.get(CARD)
    assert after.content != before  # redrawn after the change, in the minor tone
    assert image(after).convert("RGB").getpixel((5, 5)) == (0xF2, 0xC2, 0x00)


@pytest.mark.django_db
def test_french_resolved_card_says_how_long_it_lasted(client, seeded):
    incident = Incident.objects.get(slug="whatsapp-panne-mondiale-2021-10-04")
    with translation.override("fr"):
        words = card.incident_card(incident)
    assert words.status == "Résolu · a duré 5 h 51 min"
    assert words.footer.startswith("Dernière mise à jour\u00a0: ")
    assert words.tone == "ok"
    assert image(client.get(f"/fr/incidents/{incident.slug}/card.png")).size == (1200, 630)


@pytest.mark.django_db
def test_hostile_title_is_drawn_as_text_and_unknown_cards_are_404(client, active_incident):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(1)> ' + "ﷺ😱" * 40
    Incident.objects.filter(pk=active_incident.pk).update(title=hostile[:200])
    response = client.get(CARD)
    assert response.status_code == 200 and image(response).size == (1200, 630)
    assert b"<script" not in response.content
    assert client.get("/en/incidents/no-such/card.png").status_code == 404
    draft = Incident.objects.create(service=active_incident.service, slug="d", title="Draft")
    assert client.get(f"/en/incidents/{draft.slug}/card.png").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_service_page_names_its_own_card_in_its_language(client, active_incident, language):
    page_path = f"/{language}/services/whatsapp/"
    page = parse_html(client.get(page_path).content)
    meta: dict[Any, Any] = {
        m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content")
        for m in page.find_all("meta")
    }
    og = meta["og:image"]
    assert og == meta["twitter:image"] and f"{settings.SITE_URL}{page_path}card.png?v=" in og
    assert meta["twitter:card"] == "summary_large_image"
    response = client.get(og.removeprefix(settings.SITE_URL))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    picture = image(response)
    assert picture.size == (1200, 630)
    # The live critical incident colours the service's card as it colours its page.
    assert picture.convert("RGB").getpixel((5, 5)) == (0xB3, 0x26, 0x1E)


@pytest.mark.django_db
def test_an_unknown_service_has_no_card(client, seeded):
    assert client.get("/en/services/no-such-service/card.png").status_code == 404
