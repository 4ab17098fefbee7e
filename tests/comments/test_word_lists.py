"""The seeded word lists catch the common French and English abbreviations and obfuscations of
insults, each with a reason a moderator reads, and never flag the innocent words around them."""

import pytest

from comments.moderation import pipeline
from comments.moderation.text import fingerprint

pytestmark = pytest.mark.django_db


def word_reasons(incident, text: str) -> list[tuple[str, str]]:
    """The word checks' reasons for `text`, as the auto-moderation records them."""
    submission = pipeline.Submission(
        incident=incident,
        name="Lecteur",
        email="",
        text=text,
        address_hash="reader",
        email_hash="",
        fingerprint=fingerprint(text),
    )
    decision = pipeline.Decision()
    pipeline.check_words(submission, decision)
    return [(r["code"], r["detail"]) for r in decision.reasons]


CAUGHT = [
    ("Bande de fdp", "banned_word", "fdp"),
    ("FDP !!!", "banned_word", "fdp"),
    ("t'es qu'un f.d.p", "banned_word", "fdp"),
    ("F D P va", "banned_word", "fdp"),
    ("f-d-p", "banned_word", "fdp"),
    ("ntm le support", "banned_word", "ntm"),
    ("NTM", "banned_word", "ntm"),
    ("n.t.m", "banned_word", "ntm"),
    ("tg", "suspect_word", "tg"),
    ("Oh TG toi", "suspect_word", "tg"),
    ("ftg avec tes questions", "banned_word", "ftg"),
    ("vtff", "banned_word", "vtff"),
    ("ptn ça marche pas", "suspect_word", "ptn"),
    ("bande d'enfoirés", "banned_word", "enfoirés"),
    ("espèce de pétasse", "banned_word", "pétasse"),
    ("quel bouffon", "suspect_word", "bouffon"),
    ("stfu already", "suspect_word", "stfu"),
    ("gtfo", "suspect_word", "gtfo"),
    ("ffs fix it", "suspect_word", "ffs"),
    ("what a fcking joke", "banned_word", "fcking"),
    ("fck this", "banned_word", "fck"),
    ("phuck you", "banned_word", "phuck"),
    ("you dumbass", "banned_word", "dumbass"),
    ("such a twat", "banned_word", "twat"),
    ("wanker", "banned_word", "wanker"),
    ("b1tch", "banned_word", "bitch"),
    ("a$$hole", "banned_word", "asshole"),
    ("k.y.s", "banned_word", "kys"),
]


@pytest.mark.parametrize(("text", "code", "word"), CAUGHT)
def test_abbreviations_and_obfuscations_are_caught_with_a_reason(incident, text, code, word):
    assert (code, word) in word_reasons(incident, text)


INNOCENT = [
    # French
    "Problème de connexion depuis ce matin",
    "J'ai gagné un concours hier",
    "L'antenne relais du quartier est en panne",
    "Mon TGV a du retard et WhatsApp ne marche pas",
    "Je prends le tgv de 7h",
    "Le PDF ne s'ouvre pas dans WhatsApp",
    "Une technique unique : redémarrer, pas de panique",
    "J'habite dans le 79, rien ne passe",
    "Les ordures ménagères attendront",
    "Stuttgart et Montgomery aussi",
    "Vous conseillez quoi ?",
    "Consultez la page de statut, c'est plus fiable",
    "Le dépôt Git de Fdpx",
    "Les députés devraient s'en occuper",
    "Le salon de coiffure",
    # English
    "Je suis à Scunthorpe et rien ne passe",
    "My appointment reminders did not arrive",
    "Outgoing calls fail, my mortgage app works",
    "Postgres is fine, the class passed",
    "Pros and cons of Signal?",
    "Kung fu lessons cancelled",
    "Off-topic: the FTSE is down",
    "Passing the time with shiitake recipes",
    "It cost 79 dollars",
    "Shuffle the playlist, scrap the plan",
    "Dickens is a good read while waiting",
]


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_words_are_not_flagged(incident, text):
    assert word_reasons(incident, text) == []


def test_a_match_made_only_of_digits_or_symbols_is_not_a_word(incident):
    # "tg" may be written with look-alikes ("7g"), but "79" alone is a number, not an insult.
    assert word_reasons(incident, "Le 79 et le 7+9") == []
    assert ("suspect_word", "tg") in word_reasons(incident, "7g")
