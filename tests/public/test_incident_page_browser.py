"""The incident page's small script in headless Chromium: times in the reader's zone with
"… ago", a new update appearing without a reload, the comments fragment (or the plain link when
it fails) and the "down for me" answer shown in place."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Component
from tests.factories import make_incident
from tests.support.publishing import change_incident, publish_update


@pytest.fixture
def live_incident(transactional_db, seeded):
    incident = make_incident(
        service=seeded,
        slug="whatsapp-down",
        title="WhatsApp down",
        language="en",
        status="identified",
        impact="critical",
        is_public=True,
        started_at=timezone.now() - timedelta(minutes=40),
    )
    incident.components.set(Component.objects.filter(service=seeded, slug="messages"))
    publish_update(
        incident,
        title="Messages are stuck",
        status="identified",
        is_confirmed=True,
        at=timezone.now() - timedelta(minutes=12),
    )
    return incident


@pytest.mark.browser
def test_new_update_appears_without_reload(live_incident, live_server, browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, timezone_id="Asia/Tokyo", locale="en-GB"
    )
    page = context.new_page()
    page.clock.install()
    polls = []
    page.on(
        "response",
        lambda r: (
            polls.append((r.request.all_headers().get("if-none-match"), r.headers["etag"]))
            if r.url.endswith("/state.json")
            else None
        ),
    )
    page.goto(f"{live_server.url}/incidents/whatsapp-down/")
    last_updated = page.locator("#live-facts time.last-updated")
    expect(last_updated).to_contain_text("12 min ago")
    expect(last_updated).to_contain_text("GMT+9")  # the reader's zone, not UTC
    page.evaluate("window.__stillHere = true")

    page.clock.fast_forward(31_000)
    page.wait_for_timeout(500)
    change_incident(live_incident, status="monitoring")
    publish_update(live_incident, title="WhatsApp rolls back a change", status="monitoring")
    page.clock.fast_forward(31_000)
    timeline = page.locator("#live-timeline li").first
    expect(timeline).to_contain_text("WhatsApp rolls back a change", timeout=10_000)
    # The hero follows in place: the editor's new words, the new status.
    expect(page.locator("#live-status h1")).to_contain_text("WhatsApp rolls back a change")
    expect(page.locator("#live-status .status-detail")).to_contain_text("Monitoring")
    assert page.evaluate("window.__stillHere") is True  # no reload happened
    page.clock.fast_forward(31_000)
    page.wait_for_timeout(500)
    # The poll revalidates with the ETag it holds: the server answers 304 while nothing changes.
    assert len(polls) >= 3
    assert polls[-1][0] == polls[-2][1]
    context.close()


@pytest.mark.browser
def test_comments_fragment_and_down_for_me_in_place(live_incident, live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sent = []

    def report(route):
        sent.append((route.request.headers.get("accept"), route.request.post_data))
        route.fulfill(
            status=200,
            content_type="application/json",
            body=json.dumps({"ok": True, "message": "Thanks: your report counts. <b>x</b>"}),
        )

    page.route("**/services/whatsapp/report/", report)
    page.route(
        "**/incidents/whatsapp-down/comments/?fragment=1",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body='<ol class="comments"><li>First comment</li></ol><script>window.__ran=1</script>',
        ),
    )
    page.goto(f"{live_server.url}/incidents/whatsapp-down/")
    expect(page.locator("#comments ol.comments li")).to_have_text("First comment")
    assert page.evaluate("window.__ran") is None

    page.select_option("#report-component", "messages")
    page.select_option("#report-country", "FR")
    page.get_by_role("button", name="WhatsApp is down for me").click()
    message = page.locator("[data-report-message]")
    expect(message).to_have_text("Thanks: your report counts. <b>x</b>")
    assert page.url.endswith("/incidents/whatsapp-down/")
    accept, body = sent[0]
    assert accept == "application/json"
    assert body == "component=messages&country=FR"
    context.close()


@pytest.mark.browser
def test_failures_leave_the_plain_page_working(live_incident, live_server, browser):
    context = browser.new_context()
    page = context.new_page()
    page.route("**/services/whatsapp/report/", lambda route: route.fulfill(status=502, body="x"))
    page.route("**/comments/?fragment=1", lambda route: route.fulfill(status=500, body="down"))
    page.goto(f"{live_server.url}/incidents/whatsapp-down/")
    # The comments fragment failed: the plain link stays.
    expect(page.locator("#comments a")).to_have_attribute(
        "href", "/en/incidents/whatsapp-down/comments/"
    )
    page.get_by_role("button", name="WhatsApp is down for me").click()
    expect(page.locator("[data-report-message]")).to_have_text(
        "Your report could not be sent. Try again in a moment."
    )
    context.close()
