"""The moderation queue page: queues and counts, ordering and filtering, reasons and suggested
replies on each row, live counts for htmx, and a constant number of queries at 10,000 waiting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import CannedReply, Comment, OfficialReply
from comments.services import comment_submit
from incidents.models import Incident
from tests.factories import make_comment, make_incident

pytestmark = pytest.mark.django_db


def _submit(incident, text, address="192.0.2.1"):
    return comment_submit(incident=incident, name="Lecteur", email="", text=text, address=address)


@pytest.fixture
def other_incident(seeded):
    return make_incident(
        service=seeded,
        slug="whatsapp-appels",
        title="Appels WhatsApp impossibles",
        is_public=True,
        status=Incident.Status.IDENTIFIED,
    )


def test_rows_show_the_comment_its_reasons_and_the_suggested_reply(moderator_client, incident):
    _submit(incident, "Est-ce que mes messages ont été perdus ?", "192.0.2.1")
    _submit(incident, "QUELLE MERDE CETTE APPLI DEPUIS CE MATIN", "192.0.2.2")

    response = moderator_client.get("/moderation/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Est-ce que mes messages ont été perdus ?" in html
    assert "Suggested reply" in html and "messages-lost" in html
    assert "Suspect word: merde" in html and "Shouting (" in html
    assert '<span class="count" data-queue="pending">2</span>' in html
    rows = response.context["rows"]
    assert rows[0].suggestion.reply.language == "fr"
    assert rows[0].suggestion.text.startswith("En général, non")
    assert rows[1].suggestion is None  # not a question
    assert rows[1].default_reason == "offensive"


def test_english_questions_get_the_english_reply(moderator_client, incident):
    _submit(incident, "Will I lose my messages??")
    row = moderator_client.get("/moderation/").context["rows"][0]
    assert (row.suggestion.reply.category, row.suggestion.reply.language) == (
        "messages-lost",
        "en",
    )


def test_each_queue_lists_its_comments(moderator_client, incident, moderator):
    pending = _submit(incident, "En attente", "192.0.2.1")
    rejected = _submit(incident, "Quel con", "192.0.2.2")
    spam = _submit(incident, "Gagnez des bitcoin, cliquez ici https://bit.ly/x", "192.0.2.3")
    approved = make_comment(
        incident=incident, name="A", text="Publié", status="approved", needs_review=False
    )
    reported = make_comment(
        incident=incident,
        name="B",
        text="Signalé",
        status="approved",
        needs_review=False,
        reported_at=timezone.now(),
        report_count=2,
    )

    def listed(queue):
        rows = moderator_client.get(f"/moderation/?queue={queue}").context["rows"]
        return {row.comment.pk for row in rows}

    assert listed("pending") == {pending.pk}
    assert listed("rejected") == {rejected.pk}
    assert listed("spam") == {spam.pk}
    assert listed("approved") == {approved.pk, reported.pk}
    assert listed("reported") == {reported.pk}
    counts = moderator_client.get("/moderation/").context["counts"]
    assert counts == {"pending": 1, "reported": 1, "approved": 2, "rejected": 1, "spam": 1}


def test_order_and_incident_filter(moderator_client, incident, other_incident):
    first = _submit(incident, "Premier", "192.0.2.1")
    second = _submit(other_incident, "Deuxième", "192.0.2.2")
    third = _submit(incident, "Troisième", "192.0.2.3")

    def ids(query):
        return [
            row.comment.pk for row in moderator_client.get(f"/moderation/?{query}").context["rows"]
        ]

    assert ids("") == [first.pk, second.pk, third.pk]
    assert ids("order=newest") == [third.pk, second.pk, first.pk]
    assert ids(f"incident={incident.pk}") == [first.pk, third.pk]
    counts = moderator_client.get(f"/moderation/?incident={other_incident.pk}").context["counts"]
    assert counts["pending"] == 1


def test_bad_parameters_fall_back_to_defaults(moderator_client, incident):
    _submit(incident, "Un commentaire")
    response = moderator_client.get("/moderation/?queue=<script>&order=x&incident=abc&page=-3")
    assert response.status_code == 200
    assert response.context["params"] == {
        "queue": "pending",
        "order": "oldest",
        "incident": None,
        "page": 1,
    }


def test_pagination(moderator_client, incident, settings):
    settings.MODERATION_QUEUE_PAGE_SIZE = 2
    for i in range(5):
        _submit(incident, f"Commentaire {i}", f"192.0.2.{i}")

    page3 = moderator_client.get("/moderation/?page=3")

    assert [r.comment.text for r in page3.context["rows"]] == ["Commentaire 4"]
    assert page3.context["previous_url"] and not page3.context["next_url"]


def test_htmx_gets_fragments(moderator_client, incident):
    _submit(incident, "Un commentaire")

    main = moderator_client.get("/moderation/?queue=pending", HTTP_HX_REQUEST="true")
    counts = moderator_client.get("/moderation/counts/", HTTP_HX_REQUEST="true")

    assert "<html" not in main.content.decode()
    assert main.content.decode().lstrip().startswith('<div id="queue-main">')
    assert "HX-Request" in main["Vary"]
    counts_html = counts.content.decode()
    assert counts_html.lstrip().startswith('<nav id="queue-counts"')
    assert 'hx-trigger="every 10s"' in counts_html
    assert '<span class="count" data-queue="pending">1</span>' in counts_html


def test_every_hx_get_has_an_href_fallback(moderator_client, incident):
    _submit(incident, "Un commentaire")
    html = moderator_client.get("/moderation/").content.decode()
    # The counts poll is a nav of real links; the filter form is a real GET form.
    assert 'class="queue-counts"' in html and 'href="/moderation/?queue=pending' in html
    assert '<form class="queue-filters" method="get" action="/moderation/"' in html


def test_queue_page_loads_only_same_origin_scripts_with_the_nonce(moderator_client, incident):
    html = moderator_client.get("/moderation/").content.decode()
    assert '<script src="/static/comments/queue.js" defer nonce="' in html
    assert "<script>" not in html and " style=" not in html and "onclick" not in html


def _fill(incident, other_incident, n):
    """n comments waiting, with replies, reports and many different authors."""
    now = timezone.now()
    texts = [
        "Est-ce que mes messages ont été perdus ?",
        "Quand est-ce que ça revient ?",
        "Toujours en panne à Lyon",
        "Is WhatsApp hacked?",
    ]
    Comment.objects.bulk_create(
        Comment(
            incident=incident if i % 3 else other_incident,
            name=f"Lecteur {i}",
            text=texts[i % len(texts)],
            status="pending",
            needs_review=True,
            reasons=[{"code": "shouting", "decision": "hold", "detail": "80"}]
            if i % 5 == 0
            else [],
            address_hash=f"{i % 500:064d}",
            language="en" if i % 4 == 3 else "fr",
            reported_at=now if i % 7 == 0 else None,
            report_count=1 if i % 7 == 0 else 0,
        )
        for i in range(n)
    )
    some = list(Comment.objects.order_by("pk").values_list("pk", flat=True)[:60])
    OfficialReply.objects.bulk_create(OfficialReply(comment_id=pk, text="Réponse") for pk in some)
    Comment.objects.filter(pk__in=some[::2]).update(status="rejected")


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_queue_uses_a_constant_number_of_queries(moderator_client, incident, other_incident):
    urls = [
        "/moderation/",
        "/moderation/?queue=reported",
        "/moderation/?queue=rejected",
        "/moderation/?order=newest",
        f"/moderation/?incident={incident.pk}",
        "/moderation/counts/",
    ]
    _fill(incident, other_incident, 10)
    small = [_queries(moderator_client, url)[0] for url in urls]

    _fill(incident, other_incident, 10_000)
    large = []
    for url in urls:
        count, response = _queries(moderator_client, url)
        large.append(count)
        if "counts" not in url and "rejected" not in url:
            assert len(response.context["rows"]) == 50

    assert Comment.objects.filter(needs_review=True).count() == 10_010
    assert large == small
    assert max(large) <= 14


def test_canned_reply_changes_reach_the_next_suggestion(moderator_client, incident):
    _submit(incident, "Est-ce que mes messages ont été perdus ?")
    CannedReply.objects.filter(category="messages-lost", language="fr").update(is_active=False)

    row = moderator_client.get("/moderation/").context["rows"][0]

    assert row.suggestion is None or row.suggestion.reply.category != "messages-lost"


def test_links_keep_the_incident_filter_whatever_its_id(moderator_client, incident, settings):
    settings.MODERATION_QUEUE_PAGE_SIZE = 1
    for i in range(3):
        _submit(incident, f"Commentaire {i}", f"192.0.2.{i}")
    incident_id = incident.pk

    context = moderator_client.get(f"/moderation/?incident={incident_id}&page=2").context

    assert f"incident={incident_id}" in context["counts_url"]
    assert f"incident={incident_id}" in context["next_url"] and "page=3" in context["next_url"]
    assert "page=" not in context["previous_url"]  # page 1 is the default
    assert all(f"incident={incident_id}" in q["url"] for q in context["queue_links"])
    from comments.views.queue import _query

    assert _query({"queue": "spam", "order": "oldest", "incident": 1, "page": 1}) == (
        "queue=spam&order=oldest&incident=1"
    )
