"""The banner in headless Chromium, embedded by a blog on another origin: it appears when an
incident is published, follows the latest update, stays dismissed until the next one, leaves on
resolve, and shows hostile incident text as text."""

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Component
from incidents.services.translations import (
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from tests.factories import make_incident
from tests.public.crossorigin import BlogServer
from tests.support.publishing import change_incident, publish_update

HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">WhatsApp <b>down</b>'
HOSTILE_UPDATE = "<script>window.__pwned=2</script><i>Messages stuck</i>"
BLOG = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A blog</title></head>
<body><h1 id="headline">My blog</h1><p id="content">Some article text.</p>
<script src="{origin}/embed/banner.js" data-service="whatsapp" data-refresh="1" async></script>
</body></html>"""


def shadow_count(page, selector: str) -> int:
    return page.evaluate(
        "s => { const h = document.querySelector('outagedesk-banner');"
        " return h ? h.shadowRoot.querySelectorAll(s).length : 0; }",
        selector,
    )


@pytest.mark.browser
def test_banner_on_another_origin_follows_the_incident(
    transactional_db, seeded, live_server, browser
):
    assert not live_server.url.startswith("http://127.0.0.1")  # the blog is another origin
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    banner = page.locator("outagedesk-banner")
    status = page.locator("outagedesk-banner [role=status]")

    with BlogServer(BLOG.format(origin=live_server.url)) as blog:
        page.goto(blog.url)
        page.wait_for_timeout(1500)
        expect(banner).to_have_count(0)  # nothing active: nothing shown
        content_box = page.locator("#content").bounding_box()

        # Published: the banner appears with the title, status, latest update and a link.
        incident = make_incident(
            service=seeded,
            slug="whatsapp-down",
            title=HOSTILE_TITLE,
            language="en",
            status="investigating",
            impact="critical",
            is_public=True,
            started_at=timezone.now(),
        )
        incident.components.set(Component.objects.filter(service=seeded, slug="messages"))
        publish_update(incident, title=HOSTILE_UPDATE, status="investigating")
        expect(status).to_be_visible(timeout=10_000)
        expect(status).to_contain_text(HOSTILE_TITLE)
        expect(status).to_contain_text(HOSTILE_UPDATE)
        expect(status).to_contain_text("Investigating")
        link = page.locator("outagedesk-banner a")
        assert link.get_attribute("href") == f"{settings.SITE_URL}/en/incidents/whatsapp-down/"

        # Inert: no dialog, no element from the text, no script ran.
        assert dialogs == []
        assert shadow_count(page, "img, script, b, i") == 0
        assert page.locator("body img, body b, body i").count() == 0
        assert page.evaluate("window.__pwned") is None

        # Readable at 360 px: a card along the bottom, over the page rather than pushing it
        # down, and clear of the top where blogs keep their title and navigation.
        box = banner.bounding_box()
        assert box["width"] == 360 - 32 and box["y"] + box["height"] == 640 - 16
        assert box["y"] > page.locator("#headline").bounding_box()["y"] + 40
        assert page.locator("#content").bounding_box() == content_box

        # The latest update replaces the previous one.
        publish_update(incident, title="A fix is rolling out", status="identified")
        expect(status).to_contain_text("A fix is rolling out", timeout=10_000)
        expect(status).not_to_contain_text("Messages stuck")

        # Dismissed: gone, and still gone after a reload, until the next update.
        close = page.get_by_role("button", name="Close this alert")
        close.focus()
        assert page.evaluate("document.activeElement.tagName") == "OUTAGEDESK-BANNER"
        page.keyboard.press("Enter")
        expect(banner).to_be_hidden()
        page.reload()
        page.wait_for_timeout(2500)
        expect(banner).to_have_count(0)
        publish_update(incident, title="Service is coming back", status="monitoring")
        expect(status).to_contain_text("Service is coming back", timeout=10_000)
        expect(banner).to_be_visible()

        # Resolved: the banner leaves.
        change_incident(incident, status="resolved", resolved_at=timezone.now())
        expect(banner).to_be_hidden(timeout=10_000)
        assert dialogs == []
    context.close()


@pytest.mark.browser
def test_banner_options_position_language_and_colours(
    transactional_db, seeded, live_server, browser
):
    incident = make_incident(
        service=seeded,
        slug="calls-down",
        title="Calls fail",
        language="en",
        status="identified",
        impact="major",
        is_public=True,
        started_at=timezone.now(),
    )
    update = publish_update(incident, title="Calls fail to connect", status="identified")
    # The update and the incident's title exist in French too, so a French banner is French
    # from label to text.
    incident_title_translate(
        actor=None, incident=incident, language="fr", title="Appels WhatsApp en échec"
    )
    update_translation_add(
        actor=None,
        update=update,
        language="fr",
        text=TranslationText(title="Les appels n’aboutissent pas", message="Appels en échec."),
    )
    html = BLOG.format(origin=live_server.url).replace(
        'data-refresh="1"',
        'data-refresh="1" data-position="bottom" data-lang="fr" data-bg="#123456" data-fg="white"',
    )
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    with BlogServer(html) as blog:
        page.goto(blog.url)
        status = page.locator("outagedesk-banner [role=status]")
        expect(status).to_be_visible(timeout=10_000)
        expect(status).to_contain_text("Identifié")
        expect(status).to_contain_text("Les appels n’aboutissent pas")
        expect(status).to_have_attribute("lang", "fr")
        expect(page.get_by_role("button", name="Fermer cette alerte")).to_be_visible()
        box = page.locator("outagedesk-banner").bounding_box()
        assert box["y"] + box["height"] == 640
        background = status.evaluate("e => getComputedStyle(e).backgroundColor")
        assert background == "rgb(18, 52, 86)"
    context.close()
