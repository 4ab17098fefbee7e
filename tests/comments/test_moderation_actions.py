"""What each moderator action does to comments, bans, replies and the FAQ, its audit trail,
and undo."""

import pytest
from django.utils import timezone

from comments.models import Ban, CannedReply, Comment, OfficialReply
from comments.services import (
    comment_promote_to_faq,
    comment_reply,
    comment_submit,
    commenters_ban,
    comments_approve,
    comments_mark_spam,
    comments_reject,
    moderation_undo,
)
from comments.services.moderation import ModerationError
from incidents.events import incident_changed
from incidents.models import FAQEntry
from incidents.services.faq import FAQError
from outagedesk.models import AuditEvent
from outagedesk.ratelimit import hash_identifier
from tests.support.comments import post_comment

pytestmark = pytest.mark.django_db


def _submit(incident, text="Est-ce que mes messages ont été perdus ?", address="192.0.2.1", **kw):
    return comment_submit(
        incident=incident,
        name="Camille",
        email=kw.pop("email", ""),
        text=text,
        address=address,
        **kw,
    )


def _audit(action):
    return list(AuditEvent.objects.filter(action=action).values_list("object_id", flat=True))


def test_approve_publishes_and_is_audited(client, incident, moderator):
    comment = _submit(incident)

    comments_approve(actor=moderator, comments=[comment])

    comment.refresh_from_db()
    assert comment.status == "approved" and not comment.needs_review
    assert comment.moderated_by == moderator and comment.moderated_at
    assert _audit("comment.approve") == [str(comment.pk)]
    assert _audit("comment.submit") == [str(comment.pk)]
    assert "perdus" in client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()


def test_reject_needs_one_of_the_listed_reasons(incident, moderator):
    comment = _submit(incident)
    with pytest.raises(ModerationError):
        comments_reject(actor=moderator, comments=[comment], reason="because")

    comments_reject(actor=moderator, comments=[comment], reason="misinformation")

    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == ("rejected", "misinformation")
    event = AuditEvent.objects.get(action="comment.reject")
    assert event.details["reason"] == "misinformation" and event.actor == moderator


def test_acting_on_a_reported_comment_settles_its_reports(incident, moderator):
    comment = _submit(incident)
    comments_approve(actor=moderator, comments=[comment])
    Comment.objects.filter(pk=comment.pk).update(reported_at=timezone.now(), report_count=3)

    comments_mark_spam(actor=moderator, comments=[comment])

    comment.refresh_from_db()
    assert comment.status == "spam" and comment.reported_at is None
    assert comment.report_count == 3  # history kept


def test_ban_blocks_address_and_email_and_rejects_their_waiting_comments(
    client, incident, moderator
):
    first = _submit(incident, "Premier message", address="192.0.2.50", email="troll@example.org")
    second = _submit(incident, "Second message", address="192.0.2.50")
    someone_else = _submit(incident, "Autre lecteur", address="192.0.2.51")

    commenters_ban(actor=moderator, comments=[first], reason="offensive")

    ban = Ban.objects.get()
    assert ban.address_hash == hash_identifier("192.0.2.50")
    assert ban.email_hash == hash_identifier("troll@example.org")
    assert "192.0.2.50" not in ban.address_hash and "troll" not in ban.email_hash
    assert Comment.objects.get(pk=first.pk).status == "rejected"
    assert Comment.objects.get(pk=second.pk).status == "rejected"
    assert Comment.objects.get(pk=someone_else.pk).status == "pending"
    assert _audit("ban.create") == [str(ban.pk)]

    from_address = post_comment(client, incident, address="192.0.2.50")
    from_email = post_comment(client, incident, address="192.0.2.77", email="TROLL@example.org")
    assert from_address.status_code == from_email.status_code == 403
    assert "ne pouvez plus commenter" in from_address.content.decode()
    assert Comment.objects.count() == 3


def test_reply_with_a_canned_reply_fills_placeholders_counts_use_and_shows_publicly(
    client, incident, moderator
):
    comment = _submit(incident)
    canned = CannedReply.objects.get(category="messages-lost", language="fr")
    canned.text = "{service} : {status}. Dernière mise à jour : {last_update_time}. {eta_text} Source : {official_links}. Autres : {alternatives}. {unknown}"
    canned.save()

    comment_reply(actor=moderator, comment=comment, canned_reply=canned)

    comment.refresh_from_db()
    reply = OfficialReply.objects.get(comment=comment)
    assert comment.status == "approved"
    assert reply.canned_reply == canned and reply.author == moderator
    assert reply.text.startswith("WhatsApp : ")
    assert "https://faq.whatsapp.com/" in reply.text
    assert "Autres : Telegram ou Signal." in reply.text
    assert "{last_update_time}" not in reply.text and "{unknown}" in reply.text
    assert "Aucune heure de retour" in reply.text or "No time for a return" in reply.text
    canned.refresh_from_db()
    assert canned.use_count == 1
    assert _audit("comment.official_reply") == [str(reply.pk)]

    html = client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()
    assert 'class="official-reply"' in html
    assert '<a href="https://faq.whatsapp.com/"' in html


def test_placeholders_never_reach_object_attributes(incident, moderator):
    comment = _submit(incident)
    canned = CannedReply.objects.create(
        category="x", language="en", question="q?", text="{service.__class__} {0} {status!r}"
    )
    comment_reply(actor=moderator, comment=comment, canned_reply=canned)
    assert OfficialReply.objects.get().text == "{service.__class__} {0} {status!r}"


def test_reply_with_own_text_wins_over_the_canned_reply(incident, moderator):
    comment = _submit(incident)
    canned = CannedReply.objects.get(category="messages-lost", language="fr")

    comment_reply(
        actor=moderator, comment=comment, canned_reply=canned, text="<b>Non</b>, rien n'est perdu."
    )

    assert OfficialReply.objects.get().text == "Non, rien n'est perdu."


def test_reply_needs_a_canned_reply_or_text(incident, moderator):
    comment = _submit(incident)
    with pytest.raises(ModerationError):
        comment_reply(actor=moderator, comment=comment, text="  ")
    assert not OfficialReply.objects.exists()


def test_undo_walks_back_the_last_actions_one_by_one(incident, moderator):
    a = _submit(incident, "Premier", address="192.0.2.1")
    b = _submit(incident, "Deuxième", address="192.0.2.2")
    comments_approve(actor=moderator, comments=[a])
    comments_reject(actor=moderator, comments=[b], reason="off-topic")

    moderation_undo(actor=moderator)
    assert Comment.objects.get(pk=b.pk).status == "pending"
    assert Comment.objects.get(pk=b.pk).needs_review
    assert Comment.objects.get(pk=a.pk).status == "approved"

    moderation_undo(actor=moderator)
    assert Comment.objects.get(pk=a.pk).status == "pending"
    assert moderation_undo(actor=moderator).action is None
    assert len(_audit("comment.undo")) == 2


def test_undo_of_a_reply_removes_it_and_gives_back_the_use(incident, moderator):
    comment = _submit(incident)
    canned = CannedReply.objects.get(category="messages-lost", language="fr")
    comment_reply(actor=moderator, comment=comment, canned_reply=canned)

    moderation_undo(actor=moderator)

    canned.refresh_from_db()
    assert not OfficialReply.objects.exists()
    assert canned.use_count == 0
    assert Comment.objects.get(pk=comment.pk).status == "pending"


def test_undo_of_a_ban_lifts_it(client, incident, moderator):
    comment = _submit(incident, address="192.0.2.60")
    commenters_ban(actor=moderator, comments=[comment])

    moderation_undo(actor=moderator)

    assert Ban.objects.get().lifted_at is not None
    assert (
        post_comment(client, incident, address="192.0.2.60", text="Je reviens").status_code == 303
    )
    assert _audit("ban.lift")


def test_undo_leaves_alone_what_another_moderator_changed_since(incident, moderator, admin_user):
    comment = _submit(incident)
    comments_approve(actor=moderator, comments=[comment])
    comments_reject(actor=admin_user, comments=[comment], reason="spam")

    result = moderation_undo(actor=moderator)

    assert (result.restored, result.skipped) == (0, 1)
    assert Comment.objects.get(pk=comment.pk).status == "rejected"


def test_undo_is_per_moderator(incident, moderator, admin_user):
    comment = _submit(incident)
    comments_approve(actor=moderator, comments=[comment])
    assert moderation_undo(actor=admin_user).action is None
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_promote_creates_then_updates_a_published_faq_entry(incident, moderator):
    comment = _submit(incident)
    canned = CannedReply.objects.get(category="messages-lost", language="fr")
    comment_reply(actor=moderator, comment=comment, canned_reply=canned)

    entry = comment_promote_to_faq(
        actor=moderator, comment=comment, question=canned.question, answer="Version 1"
    )
    again = comment_promote_to_faq(
        actor=moderator,
        comment=comment,
        question=canned.question.upper(),
        answer="<i>Version 2</i>",
    )

    assert again.pk == entry.pk
    entry.refresh_from_db()
    assert entry.is_published and entry.incident == incident and entry.language == "fr"
    assert entry.answer == "Version 2"
    assert FAQEntry.objects.filter(incident=incident).count() == 1
    assert _audit("faq.create") == _audit("faq.update") == [str(entry.pk)]


def test_promoting_announces_the_changed_faq_to_the_public_pages(
    incident, moderator, django_capture_on_commit_callbacks
):
    comment = _submit(incident)
    changed = []

    def listener(sender, incident, **kwargs):
        changed.append(incident.pk)

    incident_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            comment_promote_to_faq(
                actor=moderator, comment=comment, question="Perdus ?", answer="Non."
            )
    finally:
        incident_changed.disconnect(listener)
    assert changed == [incident.pk]


def test_promoting_an_empty_answer_is_refused_with_the_incidents_error(incident, moderator):
    comment = _submit(incident)
    with pytest.raises(FAQError) as refused:
        comment_promote_to_faq(
            actor=moderator, comment=comment, question="Perdus ?", answer="<b></b>"
        )
    assert refused.value.code == "answer_required"
    assert not FAQEntry.objects.filter(incident=incident).exists()


# --- through the views ---------------------------------------------------------------------


def test_htmx_action_swaps_the_row_and_refreshes_counts_and_undo(moderator_client, incident):
    comment = _submit(incident)

    response = moderator_client.post(
        f"/moderation/comments/{comment.pk}/approve/",
        {"queue": "pending", "order": "oldest"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="row-{comment.pk}"' in html and "queue-row done" in html
    assert 'id="queue-counts"' in html and 'hx-swap-oob="true"' in html
    assert 'id="undo-button"' in html
    assert '<span class="count" data-queue="pending">0</span>' in html


def test_enter_key_flow_posts_the_suggested_reply(moderator_client, incident, client):
    comment = _submit(incident)
    queue = moderator_client.get("/moderation/")
    row = queue.context["rows"][0]
    assert row.suggestion.reply.category == "messages-lost"

    response = moderator_client.post(
        f"/moderation/comments/{comment.pk}/reply/",
        {
            "canned_reply": row.suggestion.reply.pk,
            "reply_text": "",
            "next": "/moderation/?queue=pending",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/moderation/?queue=pending"
    assert OfficialReply.objects.get().comment == comment


def test_bulk_actions_apply_to_every_selected_comment(moderator_client, incident):
    comments = [_submit(incident, f"Message {i}", address=f"192.0.2.{i}") for i in range(4)]
    ids = [c.pk for c in comments[:3]]

    response = moderator_client.post(
        "/moderation/bulk/", {"action": "reject", "reason": "off-topic", "ids": ids}
    )

    assert response.status_code == 302
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[i] for i in ids] == ["rejected"] * 3
    assert statuses[comments[3].pk] == "pending"
    follow = moderator_client.get(response["Location"])
    assert "Rejected: 3 comments." in follow.content.decode()

    moderator_client.post("/moderation/undo/")
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}


def test_bulk_ban_bans_each_author(moderator_client, incident):
    a = _submit(incident, "Un", address="192.0.2.1")
    b = _submit(incident, "Deux", address="192.0.2.2")
    moderator_client.post(
        "/moderation/bulk/", {"action": "ban", "reason": "spam", "ids": [a.pk, b.pk]}
    )
    assert Ban.objects.count() == 2


def test_bulk_without_selection_changes_nothing(moderator_client, incident):
    _submit(incident)
    response = moderator_client.post("/moderation/bulk/", {"action": "approve"})
    assert response.status_code == 303
    assert Comment.objects.get().status == "pending"


def test_promote_view_publishes_the_faq_entry(moderator_client, incident, moderator):
    comment = _submit(incident)
    canned = CannedReply.objects.get(category="messages-lost", language="fr")
    comment_reply(actor=moderator, comment=comment, canned_reply=canned)
    queue = moderator_client.get("/moderation/?queue=approved")
    assert queue.context["rows"][0].faq_question == canned.question

    response = moderator_client.post(
        f"/moderation/comments/{comment.pk}/promote/",
        {"question": canned.question, "answer": OfficialReply.objects.get().text},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    assert "Added to the FAQ" in response.content.decode()
    assert FAQEntry.objects.get(incident=incident, question=canned.question).is_published


def test_promote_view_explains_when_nothing_is_left_of_the_answer(moderator_client, incident):
    comment = _submit(incident)
    response = moderator_client.post(
        f"/moderation/comments/{comment.pk}/promote/",
        {"question": "Perdus ?", "answer": "<script>alert(1)</script>"},
        HTTP_HX_REQUEST="true",
    )
    assert "Both the question and the answer are needed." in response.content.decode()
    assert not FAQEntry.objects.filter(incident=incident).exists()


def test_reply_page_starts_from_the_suggestion_and_posts_the_edited_text(
    moderator_client, incident
):
    comment = _submit(incident)
    canned = CannedReply.objects.get(category="messages-lost", language="fr")

    page = moderator_client.get(f"/moderation/comments/{comment.pk}/reply/?next=/moderation/")

    form = page.context["form"]
    assert page.status_code == 200
    assert form.initial["canned_reply"] == canned
    assert form.initial["reply_text"].startswith("En général, non")
    posted = moderator_client.post(
        f"/moderation/comments/{comment.pk}/reply/",
        {
            "canned_reply": canned.pk,
            "reply_text": "Non, rien n'est perdu. Source : https://faq.whatsapp.com/",
            "next": "/moderation/",
        },
    )
    assert posted.status_code == 302 and posted["Location"] == "/moderation/"
    reply = OfficialReply.objects.get()
    assert reply.text.startswith("Non, rien n'est perdu.") and reply.canned_reply == canned
    canned.refresh_from_db()
    assert canned.use_count == 1


def test_reply_page_refuses_an_empty_reply(moderator_client, incident):
    comment = _submit(incident, "Merci")
    response = moderator_client.post(
        f"/moderation/comments/{comment.pk}/reply/", {"reply_text": ""}
    )
    assert response.status_code == 400
    assert "Choose a canned reply or write an answer." in response.content.decode()
    assert not OfficialReply.objects.exists()


def test_a_ban_and_its_undo_apply_to_the_very_next_comment(client, incident, moderator):
    """Every comment checks the bans against a cached list: banning and lifting must not wait
    for the cache to expire."""
    assert post_comment(client, incident, address="192.0.2.70", text="Avant").status_code == 303
    commenters_ban(actor=moderator, comments=[Comment.objects.get()])
    assert post_comment(client, incident, address="192.0.2.70", text="Pendant").status_code == 403
    moderation_undo(actor=moderator)
    assert post_comment(client, incident, address="192.0.2.70", text="Après").status_code == 303
