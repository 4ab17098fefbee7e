"""End to end in Chromium: a reader asks whether their messages were lost, the moderator gets the
matching canned reply suggested and approves with it in one key (Enter), and the reader sees the
question and the newsroom's answer on the incident's comments page."""

import pytest

from comments.models import CannedReply, Comment, OfficialReply
from tests.comments.browser_helpers import Watch, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

QUESTION = "Est-ce que mes messages ont été perdus ?"


def test_reader_question_answered_with_the_suggested_canned_reply(
    browser, live_server, incident, moderator, settings
):
    settings.COMMENT_MIN_FILL_SECONDS = 0
    comments_url = f"{live_server.url}/incidents/{incident.slug}/comments/"

    reader = browser.new_context(locale="fr-FR")
    reader_page = reader.new_page()
    reader_page.goto(comments_url)
    reader_page.fill("#id_name", "Camille")
    reader_page.fill("#id_text", QUESTION)
    reader_page.click(".comment-form button[type=submit]")
    reader_page.wait_for_selector(".comment-pending")
    assert QUESTION in reader_page.inner_text(".comment-pending")
    assert Comment.objects.get().status == "pending"

    staff = browser.new_context()
    page = staff.new_page()
    watch = Watch(page)
    log_in(page, live_server.url, moderator.username, "/moderation/")
    row = page.locator(".queue-row[data-comment]").first
    assert QUESTION in row.inner_text()
    suggestion = row.locator(".suggestion").inner_text()
    assert "messages-lost" in suggestion and "En général, non" in suggestion
    page.wait_for_function("document.querySelector('.queue-row.is-current') !== null")

    page.keyboard.press("Enter")

    page.wait_for_selector(".queue-row.done")
    assert "official reply" in page.inner_text(".queue-row.done")
    assert page.inner_text("#queue-counts .count[data-queue='pending']") == "0"
    assert watch.dialogs == [] and watch.csp == []
    reply = OfficialReply.objects.get()
    assert reply.canned_reply == CannedReply.objects.get(category="messages-lost", language="fr")
    assert reply.author == moderator
    staff.close()

    reader_page.goto(comments_url)
    comment = reader_page.locator(".comment", has_text=QUESTION)
    assert comment.count() == 1
    official = comment.locator(".official-reply")
    assert "En général, non" in official.inner_text()
    assert official.locator("a[href='https://faq.whatsapp.com/']").count() == 1
    assert reader_page.locator(".comment-pending").count() == 0
    reader.close()


def test_one_key_per_action_and_undo(browser, live_server, incident, moderator):
    from comments.models import Ban
    from comments.services import comment_submit

    first, second, third = (
        comment_submit(incident=incident, name=name, email="", text=text, address=address)
        for name, text, address in [
            ("Ana", "Toujours en panne à Lyon", "192.0.2.1"),
            ("Bob", "Rien à voir, achetez mes chaussures", "192.0.2.2"),
            ("Cyd", "Ça remarche chez moi", "192.0.2.3"),
        ]
    )
    staff = browser.new_context()
    page = staff.new_page()
    watch = Watch(page)
    log_in(page, live_server.url, moderator.username, "/moderation/")
    page.wait_for_function("document.querySelector('.queue-row.is-current') !== null")

    def status(comment):
        return Comment.objects.get(pk=comment.pk).status

    page.keyboard.press("j")
    assert page.get_attribute(".queue-row.is-current", "id") == f"row-{second.pk}"
    page.select_option(f"#row-{second.pk} select[name=reason]", "off-topic")
    page.keyboard.press("r")
    page.wait_for_selector(f"#row-{second.pk}.done")
    assert (status(second), Comment.objects.get(pk=second.pk).rejection_reason) == (
        "rejected",
        "off-topic",
    )
    # The next comment becomes current by itself.
    page.wait_for_function(
        f"document.querySelector('.queue-row.is-current').id === 'row-{third.pk}'"
    )
    page.keyboard.press("s")
    page.wait_for_selector(f"#row-{third.pk}.done")
    assert status(third) == "spam"
    page.wait_for_function(
        f"document.querySelector('.queue-row.is-current').id === 'row-{first.pk}'"
    )
    page.keyboard.press("b")
    page.wait_for_selector(f"#row-{first.pk}.done")
    assert status(first) == "rejected" and Ban.objects.filter(lifted_at=None).count() == 1
    assert page.inner_text("#queue-counts .count[data-queue='pending']") == "0"

    page.keyboard.press("u")  # undo the ban: the page reloads with the comment back
    page.wait_for_selector(f"#row-{first.pk}:not(.done)")
    assert status(first) == "pending" and not Ban.objects.filter(lifted_at=None).exists()
    assert page.inner_text("#queue-counts .count[data-queue='pending']") == "1"
    assert watch.dialogs == [] and watch.csp == []
    staff.close()
