"""Moderators manage the canned reply library in the queue UI (and the admin); the seed holds
honest answers to the four reader questions in French and English."""

import pytest

from comments.models import CannedReply, ModerationWord
from demo.comment_seeding import seed_comments
from outagedesk.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_library_lists_every_reply_with_its_use_count(moderator_client, seeded):
    CannedReply.objects.filter(category="eta", language="fr").update(use_count=7)

    html = moderator_client.get("/moderation/replies/").content.decode()

    assert html.count('<tr id="canned-') == 8
    assert "<td>7</td>" in html
    assert "Quand Whatsapp sera-t-il de nouveau opérationnel ?" in html


def test_create_and_edit_a_canned_reply(moderator_client, moderator, seeded):
    created = moderator_client.post(
        "/moderation/replies/new/",
        {
            "category": "calls",
            "language": "fr",
            "question": "Les appels marchent-ils ?",
            "keywords": "Je peux appeler ?\nLes appels vidéo fonctionnent ?",
            "text": "Les appels de {service} sont touchés ({status}).",
            "is_active": "on",
        },
    )
    reply = CannedReply.objects.get(category="calls")
    assert created.status_code == 302
    assert reply.keywords.splitlines() == ["Je peux appeler ?", "Les appels vidéo fonctionnent ?"]
    assert AuditEvent.objects.get(action="canned_reply.create").actor == moderator

    edited = moderator_client.post(
        f"/moderation/replies/{reply.pk}/",
        {"category": "calls", "language": "en", "question": "Do calls work?", "text": "No."},
    )
    reply.refresh_from_db()
    assert edited.status_code == 302
    assert (reply.language, reply.question, reply.is_active) == ("en", "Do calls work?", False)
    assert AuditEvent.objects.filter(action="canned_reply.update").count() == 1


def test_invalid_canned_reply_is_refused_with_the_errors(moderator_client, seeded):
    response = moderator_client.post(
        "/moderation/replies/new/", {"category": "", "language": "de", "question": "", "text": ""}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert CannedReply.objects.count() == 8


def test_a_reply_with_an_unknown_placeholder_is_refused_before_readers_see_it(
    moderator_client, seeded
):
    response = moderator_client.post(
        "/moderation/replies/new/",
        {
            "category": "links",
            "language": "en",
            "question": "Where is the official news?",
            "text": "See {official_lnk} for {service}.",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown placeholder: {official_lnk}." in html and "{official_links}" in html
    assert not CannedReply.objects.filter(category="links").exists()


def test_the_form_lists_the_placeholders(moderator_client, seeded):
    html = moderator_client.get("/moderation/replies/new/").content.decode()
    # The one vocabulary, shared with the announcement templates.
    for name in (
        "service",
        "status",
        "components",
        "regions",
        "since",
        "time",
        "last_update_time",
        "eta_text",
        "sources",
        "alternatives",
        "official_links",
    ):
        assert f"<code>{{{name}}}</code>" in html


def test_seeded_replies_answer_the_four_questions_in_both_languages(seeded):
    pairs = set(CannedReply.objects.values_list("category", "language"))
    assert pairs == {
        (c, lang)
        for c in ("eta", "messages-lost", "alternatives", "security")
        for lang in ("fr", "en")
    }
    assert all(r.keywords for r in CannedReply.objects.all())
    eta_fr = CannedReply.objects.get(category="eta", language="fr").text
    assert "Personne ne peut encore donner d'heure fiable" in eta_fr  # says what is not known


def test_seeding_is_idempotent_and_keeps_moderators_edits(seeded):
    words = ModerationWord.objects.count()
    reply = CannedReply.objects.get(category="eta", language="en")
    reply.keywords = "edited by a moderator"
    reply.save()
    ModerationWord.objects.filter(word="con").update(action="suspect")

    assert seed_comments() == 0

    assert ModerationWord.objects.count() == words
    assert ModerationWord.objects.get(word="con").action == "suspect"
    reply.refresh_from_db()
    assert reply.keywords == "edited by a moderator"


def test_word_lists_and_canned_replies_are_editable_in_the_admin(admin_client_, seeded):
    response = admin_client_.post(
        "/admin/comments/moderationword/add/",
        {"word": "margoulin", "language": "fr", "action": "suspect"},
    )
    assert response.status_code == 302
    assert ModerationWord.objects.filter(word="margoulin").exists()
    assert admin_client_.get("/admin/comments/cannedreply/").status_code == 200
    assert admin_client_.get("/admin/comments/comment/").status_code == 200
    assert admin_client_.get("/admin/comments/moderationaction/").status_code == 200
