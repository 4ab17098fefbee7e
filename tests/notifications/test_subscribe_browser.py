"""The subscribe page in a real browser, on a phone-sized screen."""

import pytest
from django.core import mail

from notifications.models import Subscriber

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR")
    page = context.new_page()
    errors = []
    # Script errors, CSP refusals, and any resource of ours that fails (not the favicon).
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.errors = errors
    yield page
    context.close()


def test_a_reader_subscribes_by_email_from_a_phone(page, live_server, transactional_db):
    from incidents.models import Service

    Service.objects.create(slug="whatsapp", name="WhatsApp")
    page.goto(f"{live_server.url}/subscribe/?service=whatsapp")
    page.get_by_label("Adresse e-mail").fill("lecteur@example.org")
    page.get_by_role("button", name="S’abonner par e-mail").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Consultez votre boîte de réception"
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.language, subscriber.confirmed_at) == (
        "lecteur@example.org",
        "fr",
        None,
    )
    assert "Confirmez votre abonnement" in mail.outbox[0].subject
    assert page.errors == []


def test_the_push_section_appears_when_the_browser_supports_it(
    page, live_server, transactional_db, settings
):
    from incidents.models import Service

    settings.VAPID_PUBLIC_KEY = (
        "BHrK3ZY_wQkyTaLE8AM3jaK4X9Y6UUpTeuD709woT9HptwOG7yPMJXBUcn-ze7HincZCKkJ_37uzYNU-rmW9IQQ"
    )
    settings.VAPID_PRIVATE_KEY = "E_Lk_jK2mV7jPYr0Er8Vl-6mb9TdMuvAMEIZfBL_VKY"
    Service.objects.create(slug="whatsapp", name="WhatsApp")
    page.goto(f"{live_server.url}/subscribe/?service=whatsapp")
    # Hidden in the HTML, revealed by the script: the script ran under the site's CSP.
    page.get_by_role("button", name="Activer les notifications").wait_for(state="visible")
    assert page.errors == []
