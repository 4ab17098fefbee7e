"""In headless Chromium: an editor covers Threads from the dashboard, two components and a
status page source, presses "Test now" (htmx) and sees what would be stored, then saves."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from incidents.models import Evidence, Service
from outagedesk.models import AuditEvent
from outagedesk.roles import ROLES
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TIMEOUT = 15_000


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def test_an_editor_covers_a_new_service_and_tests_its_status_page(
    browser, live_server, editor, seeded, replay_server, settings
):
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_ALLOWED_HOSTS = [urlsplit(replay_server.url).netloc]
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/accounts/login/?next=/newsroom/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/newsroom/")

        page.click("text=Services and sources")
        page.click("text=Add a service")
        page.fill("input[name=name]", "Threads")
        page.fill("input[name=slug]", "threads")
        page.fill("input[name=owner]", "meta")
        page.fill("input[name=regions]", "world, Europe")
        for index, (slug, en, fr, words) in enumerate(
            [("feed", "Feed", "Fil", "feed, fil"), ("stories", "Stories", "Stories", "story")]
        ):
            page.fill(f"input[name=components-{index}-slug]", slug)
            page.fill(f"input[name=components-{index}-name_en]", en)
            page.fill(f"input[name=components-{index}-name_fr]", fr)
            page.fill(f"input[name=components-{index}-keywords]", words)
        page.click("text=Save the service")
        expect(page.locator("h1")).to_have_text("Threads", timeout=TIMEOUT)

        page.click("text=Add a source")
        page.click("text=Status page (Atlassian Statuspage format)")
        page.fill("input[name=name]", "Threads status page")
        page.fill("input[name=public_label]", "Threads status page")
        page.fill("input[name=url]", replay_server.url + "statuspage_summary_outage.json")
        page.fill("textarea[name=component_map]", "Message delivery = feed")
        page.fill("input[name=owner]", "meta")
        page.select_option("select[name=tier]", "official")
        page.click("text=Test now")
        trial = page.locator("#trial")
        expect(trial).to_contain_text("Would store 8 items.", timeout=TIMEOUT)
        expect(trial).to_contain_text("Example Messenger: Major System Outage")
        assert page.url.endswith("/sources/new/?kind=statuspage")  # htmx: no navigation
        assert Evidence.objects.count() == 0

        page.click("text=Save the source")
        expect(page.locator("text=Source “Threads status page” saved.")).to_be_visible(
            timeout=TIMEOUT
        )
    finally:
        page.close()
    threads = Service.objects.get(slug="threads")
    assert list(threads.components.values_list("slug", flat=True)) == ["feed", "stories"]
    source = threads.sources.get()
    assert source.config == {"resource": "summary", "component_map": {"Message delivery": "feed"}}
    assert source.tier == "official" and source.public_label == "Threads status page"
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "service.create",
        "source.create",
    }
