"""The service page and the home page in headless Chromium, on a phone (360 px) and a desktop
(1280 px): the state is on the first screen, the "down for me" report works with no incident
(without JavaScript: the thank-you page leads back; with it: the answer in place), and the home
page lists the service with its state.

Screenshots go to var/screenshots/ for a person to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Evidence, Incident, SignalBucket
from incidents.selectors.signals import bucket_floor
from tests.support.publishing import publish_update

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = [(360, 740), (1280, 800)]


def report_history(service) -> None:
    """A day of ordinary report counts and the same hours the day before: a usual level."""
    now = bucket_floor(timezone.now())
    rows = []
    for back in range(1, 2 * 288):
        moment = now - timedelta(minutes=5 * back)
        # A quiet usual level, then the outage's spike over the last half hour.
        count = 40.0 + back if back <= 6 else 3.0
        rows.append(SignalBucket(service=service, bucket_start=moment, count=count))
    SignalBucket.objects.bulk_create(rows)


def live_outage(service) -> Incident:
    incident = Incident.objects.create(
        service=service,
        slug="whatsapp-messages-down",
        title="WhatsApp messages are not delivered",
        language="en",
        status="identified",
        impact="critical",
        is_public=True,
        started_at=timezone.now() - timedelta(minutes=35),
    )
    publish_update(
        incident,
        title="Messages stay on one grey tick for many users in Europe",
        message="Messages stay on one grey tick. WhatsApp says a fix is being rolled out.",
        advice="Use text messages or phone calls meanwhile.",
        status="identified",
        is_confirmed=True,
    )
    return incident


@pytest.mark.browser
@pytest.mark.parametrize("width,height", SIZES)
def test_service_page_state_on_the_first_screen(
    transactional_db, seeded, live_server, browser, width, height
):
    report_history(seeded)
    live_outage(seeded)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/services/whatsapp/")
    state = page.locator(".service-state")
    expect(state).to_have_text("! WhatsApp is down")
    box = state.bounding_box()
    assert box["y"] + box["height"] <= height  # answered without scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    # The impact colour is the stylesheet's, not the browser's default.
    background = page.locator(".service-hero").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    expect(page.locator("#reports-chart svg")).to_be_visible()
    expect(page.locator("#live-incident h3")).to_contain_text("one grey tick")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"service-page-{width}.png"), full_page=True)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width,height", SIZES)
def test_report_without_an_incident_no_javascript_thanks_and_back(
    transactional_db, seeded, live_server, browser, width, height
):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/en/services/whatsapp/")
    expect(page.locator(".service-state")).to_have_text("✓ WhatsApp: no known problem")
    expect(page.locator("#reports-chart .service-no-data")).to_contain_text("Not enough data yet")
    page.select_option("#report-component", "messages")
    page.select_option("#report-country", "FR")
    page.get_by_role("button", name="WhatsApp is down for me").click()
    expect(page.locator("main")).to_contain_text("your report about WhatsApp was counted")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"service-report-thanks-{width}.png"), full_page=True)
    assert Evidence.objects.filter(signal_kind="reader", incident=None).count() == 1
    page.get_by_role("link", name="Back to the page").click()
    assert page.url == f"{live_server.url}/en/services/whatsapp/"
    context.close()


@pytest.mark.browser
def test_report_with_javascript_answers_in_place(transactional_db, seeded, live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/en/services/whatsapp/")
    page.get_by_role("button", name="WhatsApp is down for me").click()
    message = page.locator("#report [data-report-message]")
    expect(message).to_have_text("Thank you: your report about WhatsApp was counted.")
    assert page.url == f"{live_server.url}/en/services/whatsapp/"
    page.screenshot(path=str(SCREENSHOTS / "service-report-inline-360.png"), full_page=False)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width,height", SIZES)
def test_home_lists_services_with_their_state(
    transactional_db, seeded, live_server, browser, width, height
):
    live_outage(seeded)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    row = page.locator(".index-now article").first
    expect(row.locator("h2")).to_have_text("! WhatsApp is down")
    assert "tone-critical" in row.get_attribute("class")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"home-{width}.png"), full_page=True)
    row.locator(".service-row-more a").click()
    expect(page.locator(".service-state")).to_have_text("! WhatsApp is down")
    context.close()
