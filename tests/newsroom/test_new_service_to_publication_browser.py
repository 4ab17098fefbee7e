"""The whole newsroom path of a new outage, in headless Chromium, timed and counted: an editor
who has never used the product covers a new service (two components, a status page source that
"Test now" checks), opens one incident across WhatsApp and that service, publishes from a
template without typing a placeholder, and both services' public pages show the incident.

Prints the time and the number of actions the editor took (the issue's figure)."""

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from incidents.models import Evidence, Incident, Service
from notifications.models import Delivery
from outagedesk.roles import ROLES
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TIMEOUT = 15_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    for role in ROLES:
        Group.objects.get_or_create(name=role)


class Editor:
    """The editor's hands: every click, key, typed field and choice counts as one action."""

    def __init__(self, page):
        self.page = page
        self.actions = 0

    def click(self, selector: str) -> None:
        self.actions += 1
        self.page.click(selector)

    def fill(self, selector: str, value: str) -> None:
        self.actions += 1
        self.page.fill(selector, value)

    def select(self, selector: str, value=None, *, label: str | None = None) -> None:
        self.actions += 1
        if label is not None:
            self.page.select_option(selector, label=label)
        else:
            self.page.select_option(selector, value)

    def check(self, selector: str) -> None:
        self.actions += 1
        self.page.check(selector)

    def press(self, key: str) -> None:
        self.actions += 1
        self.page.locator("body").press(key)


def test_an_editor_covers_a_new_service_and_publishes_across_two_services(
    browser, live_server, editor, seeded, replay_server, settings
):
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_ALLOWED_HOSTS = [urlsplit(replay_server.url).netloc]
    page = browser.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    hands = Editor(page)
    started = time.monotonic()
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/accounts/login/?next=/newsroom/")
        hands.fill("#id_username", editor.username)
        hands.fill("#id_password", PASSWORD)
        hands.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/newsroom/")

        # A new service with two components, without JSON.
        hands.click("text=Services and sources")
        hands.click("text=Add a service")
        hands.fill("input[name=name]", "Threads")
        hands.fill("input[name=slug]", "threads")
        hands.fill("input[name=owner]", "meta")
        for index, (slug, en, fr, words) in enumerate(
            [("feed", "Feed", "Fil", "feed, fil"), ("posts", "Posts", "Publications", "post")]
        ):
            hands.fill(f"input[name=components-{index}-slug]", slug)
            hands.fill(f"input[name=components-{index}-name_en]", en)
            hands.fill(f"input[name=components-{index}-name_fr]", fr)
            hands.fill(f"input[name=components-{index}-keywords]", words)
        hands.click("text=Save the service")
        expect(page.locator("h1")).to_have_text("Threads", timeout=TIMEOUT)

        # Its status page, checked with "Test now" before saving.
        hands.click("text=Add a source")
        hands.click("text=Status page (Atlassian Statuspage format)")
        hands.fill("input[name=name]", "Threads status page")
        hands.fill("input[name=public_label]", "Threads status page")
        hands.fill("input[name=url]", replay_server.url + "statuspage_summary_outage.json")
        hands.fill("input[name=owner]", "meta")
        hands.select("select[name=tier]", "official")
        hands.click("text=Test now")
        expect(page.locator("#trial")).to_contain_text("Would store 8 items.", timeout=TIMEOUT)
        assert Evidence.objects.count() == 0  # a test stores nothing
        hands.click("text=Save the source")
        expect(page.locator("text=Source “Threads status page” saved.")).to_be_visible(
            timeout=TIMEOUT
        )

        # One incident across WhatsApp and Threads.
        page.goto(f"{live_server.url}/newsroom/")
        hands.click("text=Open an incident")
        hands.select("select[name=service]", label="WhatsApp")
        hands.check(f"input[name=other_services][value='{_service_pk('threads')}']")
        hands.fill("input[name=title]", "WhatsApp and Threads: messages not delivered")
        hands.select("select[name=language]", "en")
        hands.select("select[name=impact]", "major")
        hands.click("button.primary[type=submit]")
        page.wait_for_url(re.compile(r".*/newsroom/incidents/\d+/$"))

        # From the English template: real sentences in the fields, never a {placeholder}.
        hands.click("#composer details.templates summary")
        hands.actions += 1
        # The composer may already suggest a template: wait for the chosen one's answer to be
        # swapped in before typing, or the swap would replace what was typed.
        with page.expect_response(lambda response: "/compose/?template=" in response.url):
            page.get_by_role("link", name="Reports being checked", exact=True).click()
        busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling")
        expect(busy).to_have_count(0, timeout=TIMEOUT)
        title = page.locator("#composer-form input[name=title]")
        expect(title).to_have_value("Problems reported with WhatsApp", timeout=TIMEOUT)
        message = page.locator("#composer-form textarea[name=message]")
        for field in ("title", "message", "advice", "call_to_action"):
            value = page.locator(f"#composer-form [name={field}]").input_value()
            assert "{" not in value, (field, value)
        # What nobody knows yet is marked for the editor, who writes it in plain words.
        text = message.input_value()
        text = re.sub(r"\[to fill: affected components\]", "messages", text)
        text = re.sub(r"\[to fill: [^\]]*\]", "Europe", text)
        hands.fill("#composer-form textarea[name=message]", text)
        expect(page.locator("#notify-sentence")).to_be_visible(timeout=TIMEOUT)
        # Nothing left to fill anywhere before publishing (the preview says so too).
        expect(page.locator("#preview mark.to-fill")).to_have_count(0, timeout=TIMEOUT)
        hands.click("#publish-button")
        outcome = page.locator("#composer .notice:has-text('Published at'), #composer .error")
        outcome.first.wait_for(timeout=TIMEOUT)
        refused = page.locator("#composer .error")
        assert refused.count() == 0, refused.all_inner_texts()
        elapsed = time.monotonic() - started

        incident = Incident.objects.get(title="WhatsApp and Threads: messages not delivered")
        assert incident.is_public
        assert sorted(s.slug for s in incident.affected_services()) == ["threads", "whatsapp"]
        published = incident.updates.get()
        assert "{" not in published.title + published.message + published.advice

        # Both services' "is it down?" pages show it.
        for slug in ("whatsapp", "threads"):
            page.goto(f"{live_server.url}/en/services/{slug}/")
            expect(page.locator("#live-incident")).to_contain_text(
                "WhatsApp and Threads: messages not delivered", timeout=TIMEOUT
            )
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"two-services-{slug}-1280.png"), full_page=True)
    finally:
        page.close()
    print(
        f"\nnew service to publication across two services: {elapsed:.1f} s, "
        f"{hands.actions} editor actions"
    )
    assert Delivery.objects.count() == 0  # nobody subscribed yet: nothing sent, nothing lost


def _service_pk(slug: str) -> int:
    return Service.objects.get(slug=slug).pk
