"""The incident page as readers see it in Chromium, at 360 and 1280 px, light and dark, active
and resolved, in English and in French: nothing scrolls sideways, the hero's colour follows the
impact and the colour scheme, the Subscribe button is filled (never grey), times are rewritten
in the reader's zone with "… ago", and a resolved page has no report form.

Screenshots go to var/screenshots/incident-<state>-<lang>-<width>-<scheme>.png for a person to
look at."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Component, Incident
from tests.support.publishing import publish_update

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WIDTHS = {360: 740, 1280: 900}
# The hero's background per (tone, scheme): css/app.css's tokens.
HERO = {
    ("critical", "light"): "rgb(179, 38, 30)",
    ("critical", "dark"): "rgb(127, 29, 29)",
    ("major", "light"): "rgb(194, 65, 12)",
    ("major", "dark"): "rgb(154, 52, 18)",
    ("ok", "light"): "rgb(15, 123, 63)",
    ("ok", "dark"): "rgb(22, 101, 52)",
}


def make_incidents(service) -> dict[str, tuple[Incident, str]]:
    now = timezone.now()
    active_en = Incident.objects.create(
        service=service,
        slug="whatsapp-down-2026",
        title="WhatsApp down: messages are not delivered",
        language="en",
        kind=Incident.Kind.GLOBAL,
        status="identified",
        impact="critical",
        is_public=True,
        started_at=now - timedelta(minutes=75),
    )
    active_en.components.set(Component.objects.filter(service=service, slug="messages"))
    publish_update(
        active_en,
        title="Messages are not delivered",
        message="Readers report messages stuck on one grey tick since 15:15 UTC.",
        status="investigating",
        at=now - timedelta(minutes=60),
        sources_text="Downdetector, reader reports",
    )
    publish_update(
        active_en,
        title="WhatsApp is down",
        message="WhatsApp confirms a global outage of message delivery and is rolling back a change.",
        advice="Use SMS or another messenger for urgent messages.",
        status="identified",
        is_confirmed=True,
        at=now - timedelta(minutes=12),
        next_update_by=now + timedelta(minutes=18),
    )
    active_fr = Incident.objects.create(
        service=service,
        slug="whatsapp-appels-2026",
        title="Panne de WhatsApp: les appels ne passent plus",
        language="fr",
        kind=Incident.Kind.FEATURE,
        status="investigating",
        impact="major",
        is_public=True,
        started_at=now - timedelta(minutes=30),
    )
    publish_update(
        active_fr,
        title="Les appels vocaux échouent",
        message="De nombreux lecteurs signalent des appels qui coupent au bout de quelques secondes: nous vérifions.",
        advice="Envoyez plutôt un message écrit.",
        status="investigating",
        at=now - timedelta(minutes=5),
        next_update_by=now + timedelta(minutes=25),
    )
    resolved_en = Incident.objects.create(
        service=service,
        slug="whatsapp-web-2026",
        title="WhatsApp Web would not connect",
        language="en",
        kind=Incident.Kind.FEATURE,
        status="resolved",
        impact="minor",
        is_public=True,
        started_at=now - timedelta(hours=5),
        resolved_at=now - timedelta(hours=3, minutes=10),
    )
    publish_update(
        resolved_en,
        title="WhatsApp Web works again",
        message="WhatsApp Web connects normally again.",
        status="resolved",
        at=now - timedelta(hours=3, minutes=10),
    )
    resolved_fr = Incident.objects.get(slug="whatsapp-panne-mondiale-2021-10-04")
    return {
        "active-en": (active_en, "critical"),
        "active-fr": (active_fr, "major"),
        "resolved-en": (resolved_en, "ok"),
        "resolved-fr": (resolved_fr, "ok"),
    }


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_incident_pages_at_360_and_1280_light_and_dark(
    transactional_db, seeded, live_server, browser, scheme
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    incidents = make_incidents(seeded)
    for width, height in WIDTHS.items():
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme=scheme,
            timezone_id="Europe/Paris",
            locale="fr-FR",
        )
        page = context.new_page()
        for name, (incident, tone) in incidents.items():
            assert page.goto(f"{live_server.url}/incidents/{incident.slug}/").status == 200
            page.wait_for_load_state("networkidle")
            scroll = page.evaluate("document.scrollingElement.scrollWidth")
            assert scroll <= width, (name, width, scroll)

            hero = page.locator("#live-status")
            background = hero.evaluate("e => getComputedStyle(e).backgroundColor")
            assert background == HERO[(tone, scheme)], (name, scheme, background)
            body = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert body == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(18, 19, 22)")

            subscribe = page.locator("#subscribe button[type=submit]")
            filled = subscribe.evaluate("e => getComputedStyle(e).backgroundColor")
            assert filled == ("rgb(11, 87, 208)" if scheme == "light" else "rgb(138, 180, 248)")

            french = name.endswith("fr")
            last = page.locator("#live-facts time.last-updated")
            expect(last).to_contain_text("il y a" if french else "ago")
            # The reader's zone (Paris) once the script ran, in the page's language.
            expect(last).to_have_text(re.compile(r"(CES?T|UTC\+[12]) \("))

            resolved = name.startswith("resolved")
            assert (page.locator("#report form").count() == 0) == resolved
            if not resolved:
                expect(page.locator(".fact-next")).to_contain_text("dans" if french else "in ")
            page.screenshot(
                path=str(SCREENSHOTS / f"incident-{name}-{width}-{scheme}.png"), full_page=True
            )
        context.close()
