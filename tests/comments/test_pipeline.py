"""Auto-moderation decisions and the reasons recorded, on a table of example comments.

The incident is post-moderated so a comment that passes every check is approved at once and a
held one stays pending: the table shows each outcome."""

import pytest

from comments.models import Comment, ModerationWord
from comments.services import comment_submit

pytestmark = pytest.mark.django_db

APPROVED, PENDING, REJECTED, SPAM = "approved", "pending", "rejected", "spam"


@pytest.fixture
def open_incident(incident):
    incident.post_moderation = True
    incident.save()
    return incident


def submit(incident, text, *, name="Lecteur", address="192.0.2.10", email=""):
    return comment_submit(incident=incident, name=name, email=email, text=text, address=address)


EXAMPLES = [
    # Innocent words that contain a listed word: never flagged.
    ("Problème de connexion depuis ce matin", APPROVED, []),
    ("J'ai appelé l'assistance, rien à faire", APPROVED, []),
    ("Je suis à Scunthorpe et rien ne passe", APPROVED, []),
    ("Les députés devraient s'en occuper", APPROVED, []),
    ("Consultez la page de statut, c'est plus fiable", APPROVED, []),
    ("Pros and cons of Signal? Passing the time in class", APPROVED, []),
    ("Plan C, on verra demain", APPROVED, []),
    ("Shiitake recipes while I wait, lol", APPROVED, []),
    ("Voir https://metastatus.com/whatsapp-business-api pour le statut", APPROVED, []),
    # Banned words, plain and obfuscated: rejected as offensive.
    ("Quel con ce service", REJECTED, [("banned_word", "con")]),
    ("Bande de C0NNNARD", REJECTED, [("banned_word", "connard")]),
    ("Vous êtes des c.o.n.n.a.s.s.e.s", REJECTED, [("banned_word", "connasses")]),
    ("Quelle bande d'encülés", REJECTED, [("banned_word", "enculés")]),
    ("What the f*ck is going on", REJECTED, [("banned_word", "fuck")]),
    ("FUUUUCK this app", REJECTED, [("banned_word", "fuck")]),
    ("Kiss my @ss", REJECTED, [("banned_word", "ass")]),
    ("сonnard", REJECTED, [("banned_word", "connard")]),  # Cyrillic с
    ("fils   de   pute", REJECTED, [("banned_word", "fils de pute"), ("banned_word", "pute")]),
    # Suspect words: held for a moderator.
    ("Quelle m e r d e cette panne", PENDING, [("suspect_word", "merde")]),
    ("This is shit", PENDING, [("suspect_word", "shit")]),
    # Too many links (the service's official pages do not count).
    (
        "Regardez http://a.example.com http://b.example.com et http://c.example.com",
        PENDING,
        [("links", "3"), ("spam_score", None)],
    ),
    # Shouting.
    ("POURQUOI PERSONNE NE RÉPOND À NOS MESSAGES", PENDING, [("shouting", None)]),
    # A spam score from several signals.
    (
        "Gagnez des bitcoin facilement, cliquez ici https://bit.ly/3xYz",
        SPAM,
        [("spam_score", None)],
    ),
    ("Contact me on +33 6 12 34 56 78 to earn money", SPAM, [("spam_score", None)]),
    ("Pour de l'aide écrivez-moi : aide@example.org", PENDING, [("spam_score", None)]),
]


@pytest.mark.parametrize(("text", "status", "reasons"), EXAMPLES)
def test_decision_and_reasons(open_incident, text, status, reasons):
    comment = submit(open_incident, text)

    assert comment.status == status
    got = [(r["code"], r["detail"]) for r in comment.reasons]
    assert [code for code, _ in got] == [code for code, _ in reasons]
    for (code, detail), (_, expected) in zip(got, reasons, strict=True):
        if expected is not None:
            assert detail == expected, code
    if status == REJECTED:
        assert comment.rejection_reason == "offensive"
        assert not comment.needs_review
    if status == SPAM:
        assert comment.rejection_reason == "spam"
        assert comment.spam_score >= 0.7


def test_names_are_checked_too(open_incident):
    comment = submit(open_incident, "Rien ne marche", name="Gros connard")
    assert comment.status == REJECTED
    assert comment.reasons[0]["code"] == "banned_word"


def test_the_word_lists_are_read_from_the_admin_editable_table(open_incident):
    assert submit(open_incident, "Quel margoulin ce service").status == APPROVED

    ModerationWord.objects.create(word="margoulin", language="fr", action="banned")

    assert submit(open_incident, "Quel m4rg0ulin ce service", address="192.0.2.11").status == (
        REJECTED
    )


def test_the_same_text_twice_from_one_reader_is_spam(open_incident):
    first = submit(open_incident, "Est-ce que ça marche chez vous ?")
    second = submit(open_incident, "est-ce que ÇA marche chez vous")

    assert first.status == APPROVED
    assert second.status == SPAM
    assert [r["code"] for r in second.reasons] == ["repeat_author"]


def test_the_same_long_text_from_many_readers_is_held(open_incident):
    text = "Rejoignez notre groupe pour avoir les dernières infos sur la panne"
    results = [submit(open_incident, text, address=f"192.0.2.{20 + i}") for i in range(3)]

    assert [c.status for c in results] == [APPROVED, APPROVED, PENDING]
    assert results[2].reasons == [{"code": "repeat_incident", "decision": "hold", "detail": "3"}]


def test_short_common_questions_from_many_readers_are_not_a_campaign(open_incident):
    results = [
        submit(open_incident, "Toujours en panne ?", address=f"192.0.2.{40 + i}") for i in range(4)
    ]
    assert {c.status for c in results} == {APPROVED}


def test_a_reader_with_recent_rejections_is_held(open_incident):
    submit(open_incident, "Quel con", address="192.0.2.99")
    submit(open_incident, "Bande de connards", address="192.0.2.99")

    comment = submit(open_incident, "Bon, ça remarche chez moi", address="192.0.2.99")

    assert comment.status == PENDING
    assert comment.reasons == [{"code": "history", "decision": "hold", "detail": "2"}]


def test_the_first_rejecting_check_decides_and_later_holds_are_still_recorded(open_incident):
    comment = submit(open_incident, "QUEL CON CE SERVICE DE MERDE VRAIMENT")

    assert comment.status == REJECTED
    assert [r["code"] for r in comment.reasons] == ["banned_word", "suspect_word", "shouting"]


def test_pre_moderation_keeps_clean_comments_pending(incident):
    comment = submit(incident, "Merci pour le suivi")
    assert comment.status == PENDING and comment.needs_review
    assert comment.reasons == []


def test_language_is_detected_for_the_reply_suggestion(open_incident):
    assert submit(open_incident, "Are my messages lost?").language == "en"
    assert (
        submit(open_incident, "Mes messages sont perdus ?", address="192.0.2.12").language == "fr"
    )
    assert Comment.objects.count() == 2
