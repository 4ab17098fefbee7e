"""From the keyboard alone, in Chromium: Tab through the public incident page reaches the skip
link, the "down for me" button, the subscribe form and the comments, in that order, each with
a visible focus indicator; the one-key shortcuts that tests/newsroom and tests/comments do not
press already (k and x in the newsroom inbox, k in the moderation queue) do what the legend
says, and verifying with v asks nothing and keeps the composer's choice current."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment
from incidents.models import Evidence, Incident, Source
from tests.factories import make_evidence, make_incident
from tests.support.browser import TIMEOUT, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const where = ["report", "subscribe", "comments"].find(id => el.closest("#" + id)) || "";
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "", name: el.getAttribute("name") || "",
    text: (el.innerText || el.value || "").trim().slice(0, 50), where,
    skip: el.classList.contains("skip-link"),
    indicator: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1)
               || style.boxShadow !== "none",
    // Scrolled into view: Chromium aligns an element with the viewport's edge (sub-pixel).
    onScreen: box.width > 0 && box.height > 0 && box.top >= -1 && box.bottom <= innerHeight + 1
              && box.left >= 0,
  };
}"""


def tab_through(page, limit: int = 120) -> list[dict]:
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop["tag"] == "body" or (stops and stop == stops[0]):
            break  # back to the start
        stops.append(stop)
    return stops


def first(stops, predicate) -> int:
    return next((i for i, stop in enumerate(stops) if predicate(stop)), -1)


@pytest.mark.parametrize("javascript", [True, False], ids=["enhanced", "plain"])
def test_tab_order_on_the_incident_page(reader_comments, live_server, browser, javascript):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/incidents/{reader_comments.slug}/")
        if javascript:  # the comments section replaces its link once loaded
            page.locator("#comments .comments-fragment").wait_for(timeout=TIMEOUT)
        stops = tab_through(page)
    finally:
        context.close()

    assert stops and stops[0]["skip"], f"the first stop is the skip link: {stops[:1]}"
    report = first(stops, lambda s: s["where"] == "report" and s["tag"] == "button")
    subscribe = first(stops, lambda s: s["where"] == "subscribe" and s["name"] == "email")
    subscribe_button = first(stops, lambda s: s["where"] == "subscribe" and s["tag"] == "button")
    comments = first(stops, lambda s: s["where"] == "comments")
    order = [report, subscribe, subscribe_button, comments]
    assert -1 not in order and order == sorted(order), (order, [s["text"] for s in stops])
    if not javascript:
        assert stops[comments]["tag"] == "a"
        assert stops[comments]["text"] == "Read and post comments"
    for stop in stops:
        assert stop["indicator"], f"no visible focus indicator on {stop}"
        assert stop["onScreen"], f"focused but off screen: {stop}"


def test_newsroom_inbox_k_moves_back_and_x_rejects(seeded, editor, live_server, browser):
    incident = make_incident(
        service=seeded,
        slug="whatsapp-suspected",
        title="WhatsApp: possible outage",
        status=Incident.Status.SUSPECTED,
        started_at=timezone.now() - timedelta(minutes=20),
        detected_by_detector=True,
        language="en",
    )
    source = Source.objects.get(service=seeded, name="Mastodon #WhatsappDown")
    newest, middle, oldest = (
        make_evidence(source, text=text, minutes_ago=minutes)
        for text, minutes in [("Newest post", 1), ("Middle post", 3), ("Oldest post", 5)]
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_server, editor)
        page.goto(f"{live_server.url}/newsroom/incidents/{incident.pk}/")
        page.locator("#inbox-list .inbox-item").first.wait_for(timeout=TIMEOUT)
        body = page.locator("body")
        for key in ("j", "j", "j", "k"):
            body.press(key)
        current = page.locator(".inbox-item.is-current")
        assert current.get_attribute("id") == f"evidence-{middle.pk}"
        assert current.get_attribute("aria-current") == "true"
        assert page.evaluate("document.activeElement.id") == f"evidence-{middle.pk}"

        body.press("x")
        page.locator(f"#evidence-{middle.pk} .state-label.state-rejected").wait_for(timeout=TIMEOUT)
    finally:
        context.close()
    states = dict(Evidence.objects.values_list("pk", "state"))
    assert states == {newest.pk: "unverified", middle.pk: "rejected", oldest.pk: "unverified"}


def test_two_quick_verifications_allow_confirmed_without_any_dialog(
    seeded, editor, live_server, browser, monkeypatch
):
    """v twice in a row on a slow server (a crisis day): no "Publish this update now?" dialog
    (the composer form's confirmation was inherited by the refresh of the confirmed/report
    choice), and the choice reflects both verifications (the second refresh used to queue on
    the element the first one replaced, and was lost)."""
    import newsroom.views.composer as composer

    real_context = composer.composer_panel

    def slow_context(**kwargs):
        context = real_context(**kwargs)
        time.sleep(1.2)  # computed, then slow to answer: the next verification lands meanwhile
        return context

    monkeypatch.setattr(composer, "composer_panel", slow_context)
    incident = make_incident(
        service=seeded,
        slug="whatsapp-suspected",
        title="WhatsApp: possible outage",
        status=Incident.Status.SUSPECTED,
        started_at=timezone.now() - timedelta(minutes=20),
        language="en",
    )
    sources = {s.name: s for s in Source.objects.filter(service=seeded)}
    make_evidence(sources["Mastodon #WhatsappDown"], text="#WhatsappDown messages stuck")
    make_evidence(sources["Downdetector-style report counts"], text="4 812 reports")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    try:
        log_in(page, live_server, editor)
        page.goto(f"{live_server.url}/newsroom/incidents/{incident.pk}/")
        page.locator("#inbox-list .inbox-item").first.wait_for(timeout=TIMEOUT)
        body = page.locator("body")
        body.press("j")
        body.press("v")
        page.locator(".inbox-item .state-label.state-verified").first.wait_for(timeout=TIMEOUT)
        body.press("v")
        expect(page.locator(".inbox-item .state-label.state-verified")).to_have_count(
            2, timeout=TIMEOUT
        )
        expect(page.locator("#confirmation-choice")).to_contain_text(
            "Confirmed is allowed", timeout=TIMEOUT
        )
    finally:
        context.close()
    assert dialogs == []


def test_moderation_queue_k_moves_back(reader_comments, moderator, live_server, browser):
    before = dict(Comment.objects.values_list("pk", "status"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_server, moderator)
        page.goto(f"{live_server.url}/moderation/")
        page.wait_for_function("document.querySelector('.queue-row.is-current') !== null")
        rows = page.locator(".queue-row[data-comment]")
        first_id, second_id = rows.nth(0).get_attribute("id"), rows.nth(1).get_attribute("id")
        page.keyboard.press("j")
        assert page.get_attribute(".queue-row.is-current", "id") == second_id
        page.keyboard.press("k")
        assert page.get_attribute(".queue-row.is-current", "id") == first_id
        page.keyboard.press("a")
        page.wait_for_selector(f"#{first_id}.done", timeout=TIMEOUT)
    finally:
        context.close()
    first_pk, second_pk = (int(row.removeprefix("row-")) for row in (first_id, second_id))
    after = dict(Comment.objects.values_list("pk", "status"))
    assert after[first_pk] == Comment.Status.APPROVED
    assert Comment.objects.get(pk=first_pk).moderated_by == moderator
    assert after[second_pk] == before[second_pk]  # k moved away from it: untouched
    assert Comment.objects.get(pk=second_pk).moderated_by is None
