"""The reader side: the comment section page and fragment, posting, and seeing one's own
comment awaiting moderation."""

import pytest

from comments.models import Comment, OfficialReply
from incidents.models import Incident
from incidents.services.translations import (
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from tests.factories import make_comment
from tests.support.comments import SITE, post_comment

pytestmark = pytest.mark.django_db


def _approved(incident, text, name="Lou", **extra):
    return make_comment(
        incident=incident,
        name=name,
        text=text,
        status=Comment.Status.APPROVED,
        needs_review=False,
        address_hash="a" * 64,
        **extra,
    )


def test_page_lists_approved_comments_oldest_first_with_official_replies(client, incident):
    first = _approved(incident, "Premier commentaire")
    _approved(incident, "Deuxième commentaire")
    make_comment(incident=incident, name="X", text="Pas encore modéré", address_hash="b" * 64)
    OfficialReply.objects.create(comment=first, text="Réponse officielle ici")

    response = client.get(f"/en/incidents/{incident.slug}/comments/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert html.index("Premier commentaire") < html.index("Deuxième commentaire")
    assert "Pas encore modéré" not in html
    assert 'class="official-reply"' in html
    assert "Réponse officielle ici" in html
    assert 'name="website"' in html and 'name="ts"' in html
    assert "public" in response["Cache-Control"]


def test_fragment_is_the_section_alone_without_scripts_or_inline_styles(client, incident):
    _approved(incident, "Un commentaire")

    response = client.get(f"/en/incidents/{incident.slug}/comments/?fragment=1")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<body" not in html
    assert html.lstrip().startswith('<section class="comments"')
    assert "Un commentaire" in html
    assert "<script" not in html and "style=" not in html and "<style" not in html
    # The incident page holds it in its own <section id="comments">: no clashing ids.
    assert 'id="comments"' not in html and 'id="comments-title"' not in html
    assert '<link rel="stylesheet" href="/static/comments/comments.css">' in html


def test_comments_are_paginated(client, incident, settings):
    settings.COMMENTS_PER_PAGE = 2
    for i in range(5):
        _approved(incident, f"Commentaire numéro {i}")

    first = client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()
    last = client.get(f"/en/incidents/{incident.slug}/comments/?page=3").content.decode()

    assert "Commentaire numéro 0" in first and "Commentaire numéro 2" not in first
    assert "Commentaire numéro 4" in last and "?page=2" in last


def test_posting_stores_a_pending_comment_and_shows_it_to_its_author_only(client, incident):
    response = post_comment(client, incident, text="Toujours rien à Lyon, est-ce normal ?")

    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"].endswith(f"?sent={comment.pk}#comment-{comment.pk}")
    assert comment.status == Comment.Status.PENDING and comment.needs_review
    assert comment.address_hash and "203.0.113.7" not in comment.address_hash

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "en attente de modération" in html  # the French incident's section is French
    assert "Toujours rien à Lyon" in html
    assert "no-store" in page["Cache-Control"]

    other_reader = client.__class__()
    public_html = other_reader.get(f"/en/incidents/{incident.slug}/comments/").content.decode()
    assert "Toujours rien à Lyon" not in public_html


def test_post_moderation_shows_the_comment_at_once_and_keeps_it_in_the_queue(client, incident):
    incident.post_moderation = True
    incident.save()

    post_comment(client, incident, text="Ça remarche chez moi à Paris.")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.needs_review
    html = client.__class__().get(f"/en/incidents/{incident.slug}/comments/").content.decode()
    assert "Ça remarche chez moi à Paris." in html


def test_post_moderation_still_holds_what_the_rules_flag(client, incident):
    incident.post_moderation = True
    incident.save()

    post_comment(client, incident, text="QUAND EST-CE QUE VOUS ALLEZ RÉPARER CETTE PANNE")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert [r["code"] for r in comment.reasons] == ["shouting"]


def test_email_is_kept_but_never_shown(client, incident):
    post_comment(client, incident, email="camille@example.org")
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)

    html = client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()

    assert comment.email_hash
    assert "camille@example.org" not in html


def test_html_is_removed_before_storing_and_links_are_safe(client, incident):
    post_comment(
        client,
        incident,
        text='<b>Voir</b> https://metastatus.com/whatsapp et <a href="javascript:alert(1)">ici</a>',
    )
    comment = Comment.objects.get()
    assert comment.text == "Voir https://metastatus.com/whatsapp et ici"
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)

    html = client.get(f"/en/incidents/{incident.slug}/comments/").content.decode()

    assert (
        '<a href="https://metastatus.com/whatsapp" rel="nofollow ugc noopener noreferrer"' in html
    )
    assert "javascript:" not in html


def test_length_limits_and_empty_text_are_refused_with_the_input_kept(client, incident):
    too_long = post_comment(client, incident, text="x" * 2001)
    only_html = post_comment(client, incident, text="<script>alert(1)</script>")
    no_name = post_comment(client, incident, name="")

    assert too_long.status_code == only_html.status_code == no_name.status_code == 400
    assert "au plus 2000 caractères" in too_long.content.decode()
    assert "Il ne reste rien une fois le HTML retiré" in only_html.content.decode()
    assert not Comment.objects.exists()


def test_only_public_incidents_accept_comments(client, incident):
    incident.is_public = False
    incident.save()

    assert client.get(f"/en/incidents/{incident.slug}/comments/").status_code == 404
    assert post_comment(client, incident).status_code == 404
    assert not Comment.objects.exists()


def test_posting_from_another_site_is_refused(client, incident):
    response = client.post(
        f"/en/incidents/{incident.slug}/comments/",
        {"name": "x", "text": "hello there"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_readers_report_an_approved_comment_into_the_reported_queue(client, incident):
    comment = _approved(incident, "Un commentaire douteux")
    url = f"/en/incidents/{incident.slug}/comments/{comment.pk}/report/"

    first = client.post(url, HTTP_ORIGIN=SITE, REMOTE_ADDR="198.51.100.1")
    again = client.post(url, HTTP_ORIGIN=SITE, REMOTE_ADDR="198.51.100.1")
    client.post(url, HTTP_ORIGIN=SITE, REMOTE_ADDR="198.51.100.2")

    comment.refresh_from_db()
    assert first.status_code == again.status_code == 303
    assert comment.report_count == 2  # the same reader counts once
    assert comment.reported_at is not None
    assert comment.status == Comment.Status.APPROVED
    assert "Un modérateur va examiner" in client.get(first["Location"]).content.decode()


def test_enough_reports_hide_a_comment_until_reviewed(client, incident, settings):
    settings.COMMENT_REPORTS_TO_HIDE = 2
    comment = _approved(incident, "Arnaque évidente")
    url = f"/en/incidents/{incident.slug}/comments/{comment.pk}/report/"
    for address in ("198.51.100.1", "198.51.100.2"):
        client.post(url, HTTP_ORIGIN=SITE, REMOTE_ADDR=address)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.needs_review
    assert comment.reasons[-1]["code"] == "reports"


def test_reports_need_an_approved_comment_and_this_site_as_origin(client, incident):
    pending = make_comment(incident=incident, name="X", text="attente", address_hash="c" * 64)
    approved = _approved(incident, "ok")
    base = f"/en/incidents/{incident.slug}/comments"

    assert client.post(f"{base}/{pending.pk}/report/", HTTP_ORIGIN=SITE).status_code == 404
    assert (
        client.post(f"{base}/{approved.pk}/report/", HTTP_ORIGIN="https://evil.example").status_code
        == 403
    )
    assert client.get(f"{base}/{approved.pk}/report/").status_code == 405


def test_dismissed_incident_is_not_found(client, incident):
    Incident.objects.filter(pk=incident.pk).update(is_public=False, status="dismissed")
    assert client.get(f"/en/incidents/{incident.slug}/comments/?fragment=1").status_code == 404


def test_the_section_switches_language_once_the_page_can(
    client, incident, editor, django_capture_on_commit_callbacks
):
    """The page's language is cached (every comment posted asks it); a translation published
    for the incident's only update makes the English section English at once."""
    url = f"/en/incidents/{incident.slug}/comments/"
    assert client.get(url)["Content-Language"] == "fr"  # no English version yet
    update = incident.updates.get()
    with django_capture_on_commit_callbacks(execute=True):
        update_translation_add(
            actor=editor,
            update=update,
            language="en",
            text=TranslationText(title="Outage confirmed", message="Messages are not sent."),
        )
    # The incident's title is still French only: the section stays French.
    assert client.get(url)["Content-Language"] == "fr"
    with django_capture_on_commit_callbacks(execute=True):
        incident_title_translate(
            actor=editor, incident=incident, language="en", title="WhatsApp outage"
        )
    assert client.get(url)["Content-Language"] == "en"
    assert client.get(f"/fr/incidents/{incident.slug}/comments/")["Content-Language"] == "fr"
