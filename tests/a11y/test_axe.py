"""axe-core (tests/a11y/vendor) in headless Chromium on the pages readers and staff use: no
serious or critical violation, in the light and the dark colour scheme for reader pages; the
lesser ones are printed. Each page is also watched for anything its CSP blocked."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident, Source
from tests.a11y.conftest import TIMEOUT, CSPWatch, log_in, report, run_axe, serious
from tests.newsroom.conftest import make_evidence
from tests.public.crossorigin import BlogServer

pytestmark = pytest.mark.browser

BLOG = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A blog</title></head>
<body><main><h1>My blog</h1><p>Some article text.</p></main>
<script src="{origin}/embed/banner.js" data-service="whatsapp" async></script>
</body></html>"""


def audit(page, url: str, label: str, found: dict, blocked: list, *, ready: str = "main"):
    watch = CSPWatch(page)
    response = page.goto(url)
    assert response.status == 200, url
    page.locator(ready).first.wait_for(timeout=TIMEOUT)
    violations = serious(run_axe(page, label=label))
    if violations:
        found[label] = violations
    blocked.extend(f"{label}: {text}" for text in watch.blocked)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reader_pages(public_incident, live_server, browser, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    found, blocked = {}, []
    slug = public_incident.slug
    try:
        audit(page, f"{live_server.url}/", f"home/{scheme}", found, blocked)
        audit(page, f"{live_server.url}/incidents/{slug}/", f"incident/{scheme}", found, blocked)
        audit(
            page,
            f"{live_server.url}/embed/banner.html?service=whatsapp",
            f"banner iframe/{scheme}",
            found,
            blocked,
            ready="[role=status]",
        )
        with BlogServer(BLOG.format(origin=live_server.url)) as blog:
            page.goto(blog.url)
            expect(page.locator("outagedesk-banner [role=status]")).to_be_visible(timeout=TIMEOUT)
            violations = serious(run_axe(page, label=f"blog with banner/{scheme}"))
            if violations:
                found[f"blog with banner/{scheme}"] = violations
    finally:
        context.close()
    assert not found, report(found)
    assert not blocked, blocked


def test_newsroom(role_groups, seeded, editor, live_server, browser):
    incident = Incident.objects.create(
        service=seeded,
        slug="whatsapp-suspected",
        title="WhatsApp: possible outage",
        status=Incident.Status.SUSPECTED,
        started_at=timezone.now() - timezone.timedelta(minutes=20),
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
    found, blocked = {}, []
    try:
        audit(page, f"{live_server.url}/accounts/login/", "login", found, blocked)
        log_in(page, live_server, editor)
        audit(page, f"{live_server.url}/newsroom/", "dashboard", found, blocked)
        audit(
            page,
            f"{live_server.url}/newsroom/incidents/{incident.pk}/",
            "workspace",
            found,
            blocked,
            ready="#composer",
        )
    finally:
        context.close()
    assert not found, report(found)
    assert not blocked, blocked
