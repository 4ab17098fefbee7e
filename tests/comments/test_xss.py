"""The XSS corpus through every comment field and every canned reply field: stored as plain
text, and every page that shows them inert (no script, no event handler, no javascript: link).
The same pages in a real browser are in test_xss_browser.py."""

import pytest

from comments.models import CannedReply, Comment, OfficialReply
from comments.services import comment_reply
from outagedesk.lib.sanitize import clean_text
from tests.comments.xss_corpus import active_content, payloads
from tests.factories import make_comment
from tests.support.comments import post_comment

pytestmark = pytest.mark.django_db

PAYLOADS = payloads()


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 100
    assert len(PAYLOADS) == len(set(PAYLOADS))


def _assert_inert(html: str, where: str):
    problems = active_content(html)
    assert not problems, f"{where}: {problems[:5]}"


@pytest.fixture
def open_limits(settings):
    settings.COMMENT_RATE_PER_ADDRESS = 10_000
    settings.COMMENT_RATE_PER_INCIDENT = 10_000
    settings.COMMENTS_PER_PAGE = 1_000
    settings.MODERATION_QUEUE_PAGE_SIZE = 1_000
    settings.COMMENT_REPEAT_INCIDENT_COPIES = 10_000
    # Hundreds of posts: keep the rate-limit counters in memory rather than in cache files.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return settings


def test_comment_name_and_text_are_stored_plain_and_rendered_inert(
    client, moderator_client, incident, open_limits
):
    refused_pages = []
    for i, payload in enumerate(PAYLOADS):
        response = post_comment(
            client,
            incident,
            address=f"10.0.{i // 250}.{i % 250}",
            name=payload[:80],
            text=f"{payload} n°{i}",
        )
        if response.status_code == 400:
            # Nothing left once sanitised: the form comes back with the input, escaped.
            refused_pages.append(response.content.decode())
        else:
            assert response.status_code == 303, payload
    for html in refused_pages:
        _assert_inert(html, "form re-shown with the reader's input")

    stored = list(Comment.objects.all())
    assert len(stored) >= 100
    for comment in stored:
        for value in (comment.name, comment.text):
            assert clean_text(value, max_length=len(value) + 1) == value, value
            assert "<script" not in value.lower()

    # The author's own page shows the pending ones (from the signed cookie).
    _assert_inert(client.get(f"/en/incidents/{incident.slug}/comments/").content.decode(), "mine")

    # The moderation queue, every comment on one page.
    queue = moderator_client.get("/moderation/?queue=pending").content.decode()
    _assert_inert(queue, "queue")
    queue_rejected = moderator_client.get("/moderation/?queue=rejected").content.decode()
    _assert_inert(queue_rejected, "rejected queue")

    Comment.objects.update(status="approved", needs_review=False)
    for fragment in ("", "?fragment=1"):
        html = client.__class__().get(f"/en/incidents/{incident.slug}/comments/{fragment}").content
        _assert_inert(html.decode(), f"public page {fragment}")

    # The row swapped in after an htmx action echoes the name and text too.
    last = stored[-1]
    done = moderator_client.post(
        f"/moderation/comments/{last.pk}/reject/", {"reason": "spam"}, HTTP_HX_REQUEST="true"
    )
    _assert_inert(done.content.decode(), "htmx action result")


def test_payloads_in_the_email_honeypot_and_token_fields_are_inert(client, incident, open_limits):
    for i, payload in enumerate(PAYLOADS):
        # The honeypot and the token are never stored nor shown back: a sample is enough there.
        for field in ("email", "website", "ts") if i % 8 == 0 else ("email",):
            response = post_comment(
                client, incident, address=f"10.1.{i % 250}.1", **{field: payload}
            )
            assert response.status_code in (303, 400), (field, payload)
            if response.status_code == 400:
                _assert_inert(response.content.decode(), f"{field} re-shown")
    for comment in Comment.objects.all():
        assert clean_text(comment.email, max_length=300) == comment.email


def test_canned_reply_fields_are_stored_plain_and_rendered_inert(
    client, moderator_client, moderator, incident, open_limits
):
    for i, payload in enumerate(PAYLOADS):
        response = moderator_client.post(
            "/moderation/replies/new/",
            {
                "category": f"{payload[:50]} {i}",
                "language": "fr",
                "question": f"{payload[:280]} messages perdus ?",
                "keywords": f"{payload}\nEst-ce que mes messages ont été perdus ?",
                "text": f"{payload} {{service}} {{official_links}} {{alternatives}}",
                "is_active": "on",
            },
        )
        if response.status_code == 400:
            _assert_inert(response.content.decode(), "canned form re-shown")
        else:
            assert response.status_code == 302, payload
    created = CannedReply.objects.exclude(pk__in=range(1, 9))
    assert created.count() >= 100
    for reply in created:
        for value in (reply.category, reply.question, reply.keywords, reply.text):
            assert clean_text(value, max_length=len(value) + 1) == value

    _assert_inert(moderator_client.get("/moderation/replies/").content.decode(), "library")
    some = created.order_by("pk")
    for reply in list(some[:: max(1, some.count() // 25)]):
        edit = moderator_client.get(f"/moderation/replies/{reply.pk}/").content.decode()
        _assert_inert(edit, "canned edit form")

    # Suggested in the queue (text, category and question in the row and the select).
    question = make_comment(
        incident=incident,
        name="Camille",
        text="Est-ce que mes messages ont été perdus ?",
        address_hash="a" * 64,
        language="fr",
    )
    queue = moderator_client.get("/moderation/").content.decode()
    _assert_inert(queue, "queue with hostile canned replies")
    form = moderator_client.get(f"/moderation/comments/{question.pk}/reply/").content.decode()
    _assert_inert(form, "reply form with hostile canned replies")

    # Posted as official replies under comments, shown to every reader.
    for reply in list(created[:150]):
        comment = make_comment(
            incident=incident, name="Lou", text="Question ?", address_hash="b" * 64
        )
        comment_reply(actor=moderator, comment=comment, canned_reply=reply)
    assert OfficialReply.objects.count() == 150
    public = client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()
    _assert_inert(public, "official replies on the public page")
    assert public.count('class="official-reply"') == 150

    # Promoted to the FAQ: the toast echoes the question.
    comment_reply(actor=moderator, comment=question, canned_reply=created.first())
    toast = moderator_client.post(
        f"/moderation/comments/{question.pk}/promote/",
        {"question": PAYLOADS[0], "answer": PAYLOADS[1]},
        HTTP_HX_REQUEST="true",
    )
    _assert_inert(toast.content.decode(), "promote toast")


def test_the_checker_catches_what_it_should():
    assert active_content('<p onmouseover="x">')
    assert active_content("<img src=x>")
    assert active_content('<a href="javascript:alert(1)">x</a>')
    assert active_content("<script>alert(1)</script>")
    assert not active_content('<p title="&lt;script&gt;">&lt;img src=x onerror=alert(1)&gt;</p>')
