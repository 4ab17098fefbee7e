"""The XSS corpus in headless Chromium: the public comment section, the moderation queue and the
canned reply library, full of hostile comments and replies, open no dialog and hold no injected
element (and the Content-Security-Policy never has to block anything)."""

import pytest
from django.db import transaction

from comments.models import Comment
from comments.services import canned_reply_save, comment_reply, comment_submit
from tests.comments.browser_helpers import FIND_ACTIVE, Watch, log_in
from tests.comments.xss_corpus import payloads

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@transaction.atomic
def _fill(incident, moderator):
    for i, payload in enumerate(payloads()):
        comment = comment_submit(
            incident=incident,
            name=payload[:80],
            email="",
            text=f"{payload} n°{i}",
            address=f"10.0.{i // 250}.{i % 250}",
        )
        if not comment.text:
            continue
        if i % 3 == 0:
            reply = canned_reply_save(
                actor=moderator,
                data={
                    "category": f"{payload[:40]} {i}",
                    "language": "fr",
                    "question": f"{payload[:200]} ?",
                    "keywords": payload,
                    "text": f"{payload} {{official_links}}",
                },
            )
            comment_reply(actor=moderator, comment=comment, canned_reply=reply)
    Comment.objects.update(status="approved", needs_review=False)
    Comment.objects.filter(pk__in=Comment.objects.order_by("pk").values("pk")[:60]).update(
        needs_review=True
    )


def _check(page, url, watch):
    page.goto(url, wait_until="load")
    # Hover and focus what a payload would target, as a reader moving around would.
    page.keyboard.press("Tab")
    page.mouse.move(200, 300)
    found = page.evaluate(FIND_ACTIVE)
    assert watch.dialogs == [], url
    assert found == [], (url, found[:5])
    assert watch.csp == [], (url, watch.csp[:3])


def test_hostile_comments_and_replies_are_inert_in_chromium(
    browser, live_server, incident, moderator, settings
):
    settings.COMMENTS_PER_PAGE = 1000
    settings.MODERATION_QUEUE_PAGE_SIZE = 1000
    settings.COMMENT_REPEAT_INCIDENT_COPIES = 10_000
    _fill(incident, moderator)
    assert Comment.objects.filter(status="approved").count() >= 100

    reader = browser.new_context()
    page = reader.new_page()
    watch = Watch(page)
    _check(page, f"{live_server.url}/incidents/{incident.slug}/comments/", watch)
    assert page.locator(".official-reply").count() >= 30
    reader.close()

    staff = browser.new_context()
    page = staff.new_page()
    watch = Watch(page)
    log_in(page, live_server.url, moderator.username, "/moderation/")
    _check(page, f"{live_server.url}/moderation/?queue=approved", watch)
    _check(page, f"{live_server.url}/moderation/?queue=pending", watch)
    # One key press: the row becomes its summary, which echoes the comment.
    page.keyboard.press("a")
    page.wait_for_selector(".queue-row.done")
    assert page.evaluate(FIND_ACTIVE) == [] and watch.dialogs == []
    _check(page, f"{live_server.url}/moderation/replies/", watch)
    staff.close()
