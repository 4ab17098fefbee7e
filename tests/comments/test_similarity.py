"""Suggesting the canned reply that answers a reader's question (char n-gram TF-IDF, cosine),
in French and English, whatever the accents, case or spelling."""

import pytest

from comments.models import CannedReply
from comments.moderation.text import is_question
from comments.selectors import suggest_reply
from comments.similarity import Candidate, ReplyIndex, char_ngrams, normalise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("question", "language", "category"),
    [
        ("Est-ce que mes messages ont été perdus ?", "fr", "messages-lost"),
        ("est ce que mes messages ont ete perdus", "fr", "messages-lost"),
        ("EST-CE QUE MES MESSAGES ONT ÉTÉ PERDUS ???", "fr", "messages-lost"),
        ("mes messages sont perdus??", "fr", "messages-lost"),
        ("Quand est-ce que ça revient ?", "fr", "eta"),
        ("Combien de temps ça va durer ?", "fr", "eta"),
        ("Vous conseillez quoi comme autre appli ?", "fr", "alternatives"),
        ("Mes données sont en danger ? piratage ?", "fr", "security"),
        ("Have I lost my messages?", "en", "messages-lost"),
        ("when will it be back", "en", "eta"),
        ("Any alternative app you recommend?", "en", "alternatives"),
        ("is whatsapp hacked?", "en", "security"),
    ],
)
def test_questions_get_the_matching_reply_in_their_language(seeded, question, language, category):
    replies = list(CannedReply.objects.filter(is_active=True))
    found = suggest_reply(question, language, replies)
    assert found is not None, question
    reply, score = found
    assert (reply.category, reply.language) == (category, language)
    assert score >= 0.3


@pytest.mark.parametrize(
    "text",
    [
        "Merci pour les infos, bon courage à l'équipe",
        "Toujours en panne chez moi à Lyon",
        "QUELLE MERDE CETTE APPLI DEPUIS CE MATIN",
        "Pourquoi personne ne répond ?",  # a question, but none of the canned ones
        "Is it down for everyone?",
    ],
)
def test_no_suggestion_for_remarks_and_unrelated_questions(seeded, text):
    replies = list(CannedReply.objects.filter(is_active=True))
    assert suggest_reply(text, "fr", replies) is None


def test_normalisation_ignores_accents_case_and_punctuation():
    assert normalise("Été, ÇA marche ?!") == "ete ca marche"
    assert char_ngrams("Perdus") == char_ngrams("perdús")


def test_a_reply_scores_its_best_phrasing():
    index = ReplyIndex(
        (
            Candidate(id=1, language="en", phrasings=("When will it be back?", "Any ETA?")),
            Candidate(id=2, language="en", phrasings=("Are my messages lost?",)),
        )
    )
    best, score = index.best("any eta", "en")
    assert best.id == 1 and score > 0.9


def test_language_filter_prefers_the_readers_language_but_falls_back():
    index = ReplyIndex(
        (
            Candidate(id=1, language="fr", phrasings=("Mes messages sont-ils perdus ?",)),
            Candidate(id=2, language="en", phrasings=("Are my messages lost?",)),
        )
    )
    assert index.best("messages perdus", "fr")[0].id == 1
    assert index.best("messages lost", "en")[0].id == 2
    assert index.best("messages perdus", "de")[0].id == 1  # no German reply: all languages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Est-ce que ça marche ?", True),
        ("Quand est-ce que ça revient", True),
        ("Mes messages sont-ils perdus", True),
        ("When will it be back", True),
        ("Merci pour les infos", False),
        ("Quelle panne, vraiment", False),
        ("On se donne rendez-vous demain", False),
    ],
)
def test_question_detection(text, expected):
    assert is_question(text) is expected
