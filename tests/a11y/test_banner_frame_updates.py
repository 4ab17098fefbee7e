"""The iframe banner in Chromium: a new update replaces the bar's content in place (announced
by its role="status"), without reloading the frame, which would restart a screen reader there
and announce nothing."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import TIMEOUT
from tests.support.publishing import publish_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_frame_updates_its_status_in_place(public_incident, live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 120})
    page = context.new_page()
    page.clock.install()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    try:
        page.goto(f"{live_server.url}/embed/banner.html?service=whatsapp")
        status = page.locator("[role=status]")
        expect(status).to_contain_text("WhatsApp confirms the outage")
        page.evaluate("document.querySelector('[role=status]').dataset.original = 'yes'")

        publish_update(public_incident, title="A fix is rolling out", status="monitoring")
        page.clock.fast_forward(61_000)
        expect(status).to_contain_text("A fix is rolling out", timeout=TIMEOUT)
        # The same live region, in the same document: updated, not reloaded.
        assert page.evaluate("document.querySelector('[role=status]').dataset.original") == "yes"
        assert page.locator("[role=status]").count() == 1
        assert blocked == []
    finally:
        context.close()
