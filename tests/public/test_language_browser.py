"""A reader on a phone and on a desktop: an incident whose update exists in English and French,
reached from an old unprefixed link, then switched to the other language with the visible
switch. Screenshots go to var/screenshots/ for a person to look at."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident
from incidents.services.translations import (
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from tests.support.publishing import publish_update

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def bilingual_incident(seeded) -> Incident:
    incident = Incident.objects.create(
        service=seeded,
        slug="whatsapp-messages-down",
        title="WhatsApp messages are not delivered",
        language="en",
        status="identified",
        impact="critical",
        is_public=True,
        started_at=timezone.now(),
    )
    update = publish_update(
        incident,
        title="Messages stay on one grey tick",
        message="Many readers in Europe cannot send messages. Calls still work.",
        advice="Use SMS for urgent messages.",
        status="identified",
        is_confirmed=True,
    )
    update_translation_add(
        actor=None,
        update=update,
        language="fr",
        text=TranslationText(
            title="Les messages restent sur une coche grise",
            message="De nombreux lecteurs en Europe ne peuvent plus envoyer de messages.",
            advice="Utilisez les SMS pour l’urgent.",
        ),
    )
    incident_title_translate(
        actor=None, incident=incident, language="fr", title="Les messages WhatsApp ne partent plus"
    )
    return incident


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(360, 740), (1280, 800)])
def test_a_bilingual_incident_and_the_language_switch(
    transactional_db, seeded, live_server, browser, width, height
):
    bilingual_incident(seeded)
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="en-GB", java_script_enabled=True
    )
    page = context.new_page()
    # An old link, from before the language prefixes: it lands on the reader's language.
    page.goto(f"{live_server.url}/incidents/whatsapp-messages-down/")
    assert page.url.endswith("/en/incidents/whatsapp-messages-down/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Messages stay on one grey tick")
    switch = page.locator("nav.language-switch")
    expect(switch).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"language-incident-en-{width}.png"), full_page=False)

    switch.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/incidents/whatsapp-messages-down/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    main = page.locator("main")
    expect(main).to_contain_text("Les messages restent sur une coche grise")
    expect(main).not_to_contain_text("Messages stay on one grey tick")
    expect(main).to_contain_text("Les messages WhatsApp ne partent plus")
    expect(main).not_to_contain_text("WhatsApp messages are not delivered")
    expect(switch.get_by_role("link", name="Français")).to_have_attribute("aria-current", "true")
    # The switch fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SCREENSHOTS / f"language-incident-fr-{width}.png"), full_page=False)

    switch.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/incidents/whatsapp-messages-down/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()
