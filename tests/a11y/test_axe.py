"""axe-core (tests/a11y/vendor) in headless Chromium on the pages readers and staff use: no
serious or critical violation, in the light and the dark colour scheme for reader pages; the
lesser ones are printed. Each page is also watched for anything its CSP blocked."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident, Source
from tests.factories import make_evidence, make_incident
from tests.public.crossorigin import BlogServer
from tests.support.browser import TIMEOUT, CSPWatch, log_in, report, run_axe, serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOG = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A blog</title></head>
<body><main><h1>My blog</h1><p>Some article text.</p></main>
<script src="{origin}/embed/banner.js" data-service="whatsapp" async></script>
</body></html>"""


class Audit:
    def __init__(self, page):
        self.page = page
        self.found: dict[str, list[dict]] = {}
        self.watch = CSPWatch(page)

    def visit(self, url: str, label: str, *, ready: str = "main") -> None:
        response = self.page.goto(url)
        assert response.status == 200, url
        self.page.locator(ready).first.wait_for(timeout=TIMEOUT)
        self.run(label)

    def run(self, label: str) -> None:
        violations = serious(run_axe(self.page, label=label))
        if violations:
            self.found[label] = violations

    def assert_clean(self) -> None:
        assert not self.found, report(self.found)
        assert not self.watch.blocked, self.watch.blocked


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reader_pages(reader_comments, live_server, browser, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    audit = Audit(page)
    base, slug = live_server.url, reader_comments.slug
    try:
        audit.visit(f"{base}/", f"home/{scheme}")
        audit.visit(f"{base}/services/whatsapp/", f"service/{scheme}")
        audit.visit(f"{base}/incidents/{slug}/", f"incident/{scheme}")
        audit.visit(f"{base}/incidents/{slug}/comments/", f"comments/{scheme}")
        audit.visit(f"{base}/subscribe/?service=whatsapp&incident={slug}", f"subscribe/{scheme}")
        audit.visit(
            f"{base}/embed/banner.html?service=whatsapp",
            f"banner iframe/{scheme}",
            ready="[role=status]",
        )
        with BlogServer(BLOG.format(origin=base)) as blog:
            page.goto(blog.url)
            expect(page.locator("outagedesk-banner [role=status]")).to_be_visible(timeout=TIMEOUT)
            audit.run(f"blog with banner/{scheme}")
    finally:
        context.close()
    audit.assert_clean()


def test_newsroom(seeded, editor, live_server, browser):
    incident = make_incident(
        service=seeded,
        slug="whatsapp-suspected",
        title="WhatsApp: possible outage",
        status=Incident.Status.SUSPECTED,
        started_at=timezone.now() - timedelta(minutes=20),
        detected_by_detector=True,
        language="en",
    )
    sources = {s.name: s for s in Source.objects.filter(service=seeded)}
    make_evidence(sources["Mastodon #WhatsappDown"], text="#WhatsappDown messages stuck")
    make_evidence(
        sources["Downdetector-style report counts"],
        text="Report spike: 4 812 reports",
        signal_kind="reports",
        signal_value=4812,
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    audit = Audit(page)
    try:
        audit.visit(f"{live_server.url}/accounts/login/", "login")
        log_in(page, live_server, editor)
        audit.visit(f"{live_server.url}/newsroom/", "dashboard")
        audit.visit(
            f"{live_server.url}/newsroom/incidents/{incident.pk}/", "workspace", ready="#composer"
        )
    finally:
        context.close()
    audit.assert_clean()


def test_moderation_queue(reader_comments, moderator, live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    audit = Audit(page)
    try:
        log_in(page, live_server, moderator)
        audit.visit(f"{live_server.url}/moderation/", "queue", ready=".queue-row")
        audit.visit(f"{live_server.url}/moderation/replies/", "canned replies")
    finally:
        context.close()
    audit.assert_clean()
