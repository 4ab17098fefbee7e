"""Reader pages on a 360 × 740 phone in Chromium: nothing scrolls sideways, and the incident
page answers "is it down?" within the first screen, with nothing above it but the site name."""

import pytest
from playwright.sync_api import expect

from tests.public.crossorigin import BlogServer
from tests.support.browser import TIMEOUT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 360, 740
BLOG = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>A blog</title></head>
<body><h1>My blog</h1><p>Some article text.</p>
<script src="{origin}/embed/banner.js" data-service="whatsapp" async></script></body></html>"""


def page_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def wider_than_screen(page) -> list[str]:
    """The elements that stick out on the right: what to fix when the page scrolls sideways."""
    return page.evaluate(
        """(width) => Array.from(document.querySelectorAll("body *"))
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 8)
            .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
                 + (e.className && typeof e.className === "string" ? "." + e.className : ""))""",
        WIDTH,
    )


def test_reader_pages_fit_a_360_pixel_phone(reader_comments, live_server, browser):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    base, slug = live_server.url, reader_comments.slug
    wide = {}
    try:
        for label, url in [
            ("incident", f"{base}/incidents/{slug}/"),
            ("comments", f"{base}/incidents/{slug}/comments/"),
            ("home", f"{base}/"),
            ("service", f"{base}/services/whatsapp/"),
            ("subscribe", f"{base}/subscribe/?service=whatsapp&incident={slug}"),
            ("banner iframe", f"{base}/embed/banner.html?service=whatsapp"),
        ]:
            assert page.goto(url).status == 200, url
            page.wait_for_load_state("networkidle")
            if page_width(page) > WIDTH:
                wide[label] = (page_width(page), wider_than_screen(page))

            if label == "incident":
                # The answer first: within the first screen, only the site name above it.
                status = page.locator("#live-status")
                expect(status).to_contain_text("WhatsApp")
                box = status.bounding_box()
                assert box["y"] + box["height"] <= HEIGHT, box
                header = page.locator("header.site-header").bounding_box()
                assert header["y"] + header["height"] <= box["y"] + 1
                above = page.evaluate(
                    """(top) => Array.from(document.querySelectorAll("main *"))
                        .filter(e => e.getBoundingClientRect().bottom <= top
                                 && e.getBoundingClientRect().height > 0)
                        .map(e => e.tagName)""",
                    box["y"],
                )
                assert above == [], above
                # The comments arrive in place, and they fit too.
                page.locator("#comments .comments-fragment").wait_for(timeout=TIMEOUT)
                if page_width(page) > WIDTH:
                    wide["incident with comments"] = (page_width(page), wider_than_screen(page))

        with BlogServer(BLOG.format(origin=base)) as blog:
            page.goto(blog.url)
            banner = page.locator("outagedesk-banner [role=status]")
            expect(banner).to_be_visible(timeout=TIMEOUT)
            if page_width(page) > WIDTH:
                wide["blog with banner"] = (page_width(page), wider_than_screen(page))
            box = page.locator("outagedesk-banner").bounding_box()
            # Across the bottom on phones (README): never over the blog's header.
            bottom = box["y"] + box["height"]
            assert box["width"] <= WIDTH and HEIGHT - 24 <= bottom <= HEIGHT, box
    finally:
        context.close()
    assert not wide, f"pages wider than {WIDTH} px (width, elements sticking out): {wide}"
