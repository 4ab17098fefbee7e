"""Component, region and language hints from French and English posts, with the keywords
editors keep on each component."""

import pytest

from incidents.hints import ComponentMatcher, detect_language, normalise_language, region_hints
from incidents.models import Component


@pytest.fixture
def matcher(whatsapp):
    return ComponentMatcher(Component.objects.filter(service=whatsapp))


@pytest.mark.parametrize(
    "text, components, regions, language",
    [
        ("Impossible de passer des appels depuis Marseille", ["calls"], ["FR"], "fr"),
        ("Les vidéos et les photos ne chargent plus chez moi", ["media"], [], "fr"),
        ("Problème de connexion à Bruxelles depuis ce matin", ["connection"], ["BE"], "fr"),
        ("Les messages restent bloqués sur une coche au Québec", ["messages"], ["CA"], "fr"),
        ("Calls failing in London and Manchester since noon", ["calls"], ["GB"], "en"),
        ("WhatsApp Web won't load the QR code in São Paulo", ["web"], ["BR"], "en"),
        ("Ça ne marche pas à Abidjan ni à Dakar", [], ["CI", "SN"], "fr"),
        ("Down across Europe: DE, NL, FR and ES", [], ["DE", "NL", "FR", "ES", "europe"], "en"),
    ],
)
def test_hints_from_french_and_english(matcher, text, components, regions, language):
    assert matcher.match(text) == components
    assert region_hints(text) == regions
    assert detect_language(text) == language


def test_words_are_matched_whole_not_inside_other_words(matcher):
    assert matcher.match("The apiary is buzzing") == []  # "api" is a keyword, "apiary" is not
    assert region_hints("a nice day in the parisian style") == []
    assert region_hints("IT is down, US too") == []  # lone codes are words, not countries


def test_keywords_edited_by_staff_are_used(whatsapp):
    Component.objects.filter(service=whatsapp, slug="status").update(keywords=["statuts", "story"])
    matcher = ComponentMatcher(Component.objects.filter(service=whatsapp))
    assert matcher.match("Mes statuts ne s'affichent plus") == ["status"]


@pytest.mark.parametrize(
    "value, expected", [("FR", "fr"), ("pt_BR", "pt-br"), ("und", ""), ("<x>", ""), (None, "")]
)
def test_language_tags_are_normalised(value, expected):
    assert normalise_language(value) == expected
