"""In headless Chromium: an editor logs in, opens a suspected incident, verifies two items from
independent sources (one from the keyboard), composes from a template, publishes, and the update
appears in the workspace timeline, in the database and on the public incident page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident, IncidentUpdate
from incidents.services.updates import format_time
from outagedesk.roles import ROLES
from tests.factories import PASSWORD, make_evidence

# serialized_rollback: the role groups come from a data migration, and each transactional
# test starts from a flushed database.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TIMEOUT = 15_000


def assert_update_published(incident: Incident) -> IncidentUpdate:
    """The published update as stored: confirmed, timestamped, attributed to its sources."""
    update = IncidentUpdate.objects.get(incident=incident)
    assert update.title.startswith("Panne de WhatsApp depuis ")
    assert "Fonctions touchées\u00a0: Messages." in update.message
    assert "[à compléter" not in update.message and "{" not in update.message
    assert update.notify  # a new incident: subscribers are told by default
    assert update.is_confirmed
    assert update.sources_text == "Selon Downdetector et des utilisateurs sur Mastodon"
    assert abs((timezone.now() - update.published_at).total_seconds()) < 300
    assert update.author.username == "edith"
    assert update.evidence.count() == 2
    incident.refresh_from_db()
    assert incident.is_public and incident.status == "identified"
    return update


def publish_through_the_workspace(page, live_server, editor, incident) -> IncidentUpdate:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/accounts/login/?next=/newsroom/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/newsroom/")

    page.click(f"text={incident.title}")
    page.wait_for_url(re.compile(rf".*/newsroom/incidents/{incident.pk}/$"))
    assert "Confirmed is blocked:" in page.inner_text("#confirmation-choice")

    # Keyboard: j selects the newest item (Downdetector), v verifies it.
    page.locator("body").press("j")
    page.locator("body").press("v")
    newest = page.locator(".inbox-item").nth(0)
    newest.locator(".state-label.state-verified").wait_for(timeout=TIMEOUT)
    # Mouse: verify the Mastodon post, with a note.
    mastodon_item = page.locator(".inbox-item", has_text="#WhatsappDown messages bloqués")
    mastodon_item.locator("input[name=note]").fill("Several accounts, same minute")
    mastodon_item.locator("button.verify").click()
    mastodon_item.locator(".state-label.state-verified").wait_for(timeout=TIMEOUT)
    # The composer heard about the verifications: confirmed is now allowed.
    expect(page.locator("#confirmation-choice")).to_contain_text(
        "Confirmed is allowed", timeout=TIMEOUT
    )

    # Compose from the formal French template: the fields hold the real sentences.
    page.click("#composer details.templates summary")
    page.get_by_role("link", name="Panne confirmée", exact=True).click()
    title = page.locator("#composer-form input[name=title]")
    expect(title).to_have_value(re.compile(r"^Panne de WhatsApp depuis "), timeout=TIMEOUT)
    # No component is known yet: the message says what to fill, highlighted in the preview.
    message = page.locator("#composer-form textarea[name=message]")
    marker = "[à compléter\u00a0: composants touchés]"
    assert marker in message.input_value()
    expect(page.locator("#preview mark.to-fill").first).to_contain_text("composants touchés")
    filled = message.input_value().replace(marker, "Messages")
    filled = filled.replace("[à compléter\u00a0: régions touchées]", "le monde entier")
    message.fill(filled)
    page.check("input[name=confirmation][value=confirmed]")
    page.select_option("#composer-form select[name=status]", "identified")
    # Before publishing, the composer says what will happen to subscribers.
    expect(page.locator("#notify-sentence")).to_contain_text("no one will be told", timeout=TIMEOUT)
    expect(page.locator("#composer-notify")).to_be_checked()
    page.fill("input[name=call_to_action]", "Suivez cette page pour la suite.")
    preview = page.locator("#preview")
    preview.locator("text=Suivez cette page pour la suite.").wait_for(timeout=TIMEOUT)
    preview_text = preview.inner_text()
    assert "Panne de WhatsApp depuis" in preview_text
    assert "[à compléter" not in preview_text
    assert "Selon Downdetector et des utilisateurs sur Mastodon" in preview_text
    assert "{service}" not in preview_text
    assert page.locator("#preview li.missing").count() == 0  # every element is present

    # p publishes, after a confirmation dialog.
    page.locator("#composer-heading").click()
    page.locator("body").press("p")
    page.locator("#composer .notice", has_text="Published at").wait_for(timeout=TIMEOUT)
    timeline = page.inner_text("#timeline")
    assert "Panne de WhatsApp depuis" in timeline
    assert "Selon Downdetector et des utilisateurs sur Mastodon" in timeline
    assert "Public" in page.inner_text("#incident-header")

    update = assert_update_published(incident)
    assert format_time(update.published_at, "en").split(" ")[0] in timeline
    return update


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The role groups come from a data migration, and a transactional test before this one
    flushed them. (serialized_rollback cannot help: Playwright's greenlet gets its own
    database connection, without the serialized copy.)"""
    for role in ROLES:
        Group.objects.get_or_create(name=role)


@pytest.fixture
def scene(seeded, incident, downdetector, mastodon):
    make_evidence(mastodon, text="#WhatsappDown messages bloqués", minutes_ago=6)
    make_evidence(
        downdetector,
        text="Report spike: 4 812 reports",
        minutes_ago=2,
        signal_kind="reports",
        signal_value=4812,
    )
    return incident


def test_editor_verifies_composes_and_publishes(browser, live_server, editor, scene):
    page = browser.new_page()
    try:
        publish_through_the_workspace(page, live_server, editor, scene)
    finally:
        page.close()


def test_the_update_appears_on_the_public_incident_page(browser, live_server, editor, scene):
    page = browser.new_page()
    try:
        update = publish_through_the_workspace(page, live_server, editor, scene)
        response = page.goto(f"{live_server.url}/incidents/{scene.slug}/")
        assert response.status == 200
        body = page.inner_text("body")
        assert update.title in body
        assert update.sources_text in body
        published = timezone.localtime(update.published_at)
        stamped = page.locator(f"time[datetime^='{published:%Y-%m-%dT%H:%M}']").count()
        assert stamped or f"{published:%H:%M}" in body or format_time(published, "fr") in body
    finally:
        page.close()
