"""Where the banner shows on a blog: never over the host's sticky header or navigation. The
default is a card in the bottom corner; the inline slot (`<div data-outagedesk-banner>`) puts it
in a sidebar or footer widget, taking room only while an alert is shown, compact at 300 px.

Screenshots go to var/screenshots/ for a person to look at."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from incidents.models import Incident
from tests.factories import make_incident
from tests.public.crossorigin import BlogServer
from tests.support.publishing import change_incident, publish_update

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

STICKY_BLOG = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A blog</title>
<style>
body {{ margin: 0; font: 16px/1.5 Georgia, serif; }}
header {{ position: sticky; top: 0; background: #222; color: #fff; padding: 12px 16px; z-index: 50; }}
header nav a {{ color: #fff; margin-right: 12px; }}
.layout {{ display: flex; flex-wrap: wrap; gap: 24px; padding: 16px; }}
article {{ flex: 1 1 500px; }} aside {{ flex: 0 0 300px; width: 300px; }}
.widget {{ border: 1px solid #ccc; padding: 8px; margin-bottom: 16px; }}
</style></head>
<body><header id="masthead"><strong>The Daily Blog</strong>
<nav><a href="#">Home</a><a href="#">Tech</a><a href="#">About</a></nav></header>
<div class="layout"><article><h1 id="headline">Today's news</h1>{paragraphs}</article>
<aside id="sidebar">{slot}<div class="widget" id="next-widget">Newsletter</div></aside></div>
<script src="{origin}/embed/banner.js" data-service="whatsapp" data-refresh="1" async></script>
</body></html>"""
PARAGRAPHS = "<p>Some article text that goes on for a while.</p>" * 40


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def open_incident(seeded) -> Incident:
    incident = make_incident(
        service=seeded,
        slug="whatsapp-messages-down",
        title="WhatsApp messages are not delivered",
        language="en",
        status="investigating",
        impact="critical",
        is_public=True,
        started_at=timezone.now(),
    )
    publish_update(
        incident,
        title="Messages stay on one grey tick for many users in Europe and Africa",
        status="investigating",
    )
    return incident


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(360, 640), (1280, 800)])
def test_default_banner_never_covers_a_sticky_header(
    transactional_db, seeded, live_server, browser, width, height
):
    open_incident(seeded)
    html = STICKY_BLOG.format(origin=live_server.url, paragraphs=PARAGRAPHS, slot="")
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    with BlogServer(html) as blog:
        page.goto(blog.url)
        status = page.locator("outagedesk-banner [role=status]")
        expect(status).to_be_visible(timeout=10_000)
        header = page.locator("#masthead")
        banner = page.locator("outagedesk-banner")
        assert not overlap(banner.bounding_box(), header.bounding_box())
        # Still clear after scrolling, when the sticky header follows the reader.
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(200)
        assert not overlap(banner.bounding_box(), header.bounding_box())
        box = banner.bounding_box()
        assert box["y"] + box["height"] <= height
        assert box["width"] <= min(380, width - 32)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"banner-corner-{width}.png"))
    context.close()


@pytest.mark.browser
def test_inline_banner_takes_room_only_while_an_alert_is_shown(
    transactional_db, seeded, live_server, browser
):
    slot = '<div class="widget-area" data-outagedesk-banner></div>'
    html = STICKY_BLOG.format(origin=live_server.url, paragraphs=PARAGRAPHS, slot=slot)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    with BlogServer(html) as blog:
        page.goto(blog.url)
        page.wait_for_timeout(1500)
        widget = page.locator("#next-widget")
        sidebar_top = page.locator("#sidebar").bounding_box()["y"]
        assert widget.bounding_box()["y"] == sidebar_top  # nothing shown: no room taken

        incident = open_incident(seeded)
        status = page.locator("[data-outagedesk-banner] [role=status]")
        expect(status).to_be_visible(timeout=10_000)
        expect(status).to_contain_text("WhatsApp messages are not delivered")
        assert page.locator("outagedesk-banner").count() == 0  # no floating copy
        slot_box = page.locator("[data-outagedesk-banner]").bounding_box()
        assert slot_box["width"] <= 300
        assert widget.bounding_box()["y"] >= slot_box["y"] + slot_box["height"]
        # Compact in a 300 px column: the status label sits on its own line.
        assert status.locator(".s").evaluate("e => getComputedStyle(e).display") == "table"
        assert not overlap(slot_box, page.locator("#masthead").bounding_box())
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "banner-inline-sidebar-1280.png"))

        change_incident(incident, status="resolved", resolved_at=timezone.now())
        expect(status).to_be_hidden(timeout=10_000)
        assert widget.bounding_box()["y"] == sidebar_top  # the room is given back
    context.close()
