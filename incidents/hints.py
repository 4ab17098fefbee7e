"""Component, region and language hints from the words of a post, in French and English.

Component hints come from each Component's `keywords` (editors maintain them in the admin);
region hints from country and city names (to ISO 3166-1 alpha-2 codes) and continent names;
the language from the source when it says, else from common French and English words.
Matching ignores case and accents, so "vidéos", "Vidéos" and "videos" all match "video".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Officially assigned ISO 3166-1 alpha-2 codes: what a reader report's country may be.
ISO_COUNTRY_CODES = _words(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO
    DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU
    GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
    KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU
    MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA
    ZM ZW"""
)

# Country and city names in English and French (and the local name when readers use it).
REGION_WORDS: dict[str, tuple[str, ...]] = {
    "FR": ("france", "paris", "lyon", "marseille", "toulouse", "lille", "bordeaux", "nantes",
           "strasbourg", "montpellier", "rennes", "grenoble", "martinique", "guadeloupe",
           "la reunion", "ile-de-france", "hexagone"),
    "BE": ("belgium", "belgique", "belgie", "brussels", "bruxelles", "brussel", "antwerp",
           "anvers", "antwerpen", "liege", "ghent", "gand", "gent", "charleroi", "namur"),
    "CH": ("switzerland", "suisse", "schweiz", "geneva", "geneve", "zurich", "lausanne", "bern",
           "berne", "basel", "bale"),
    "LU": ("luxembourg",),
    "MC": ("monaco",),
    "CA": ("canada", "quebec", "montreal", "toronto", "vancouver", "ottawa"),
    "US": ("united states", "etats-unis", "usa", "new york", "los angeles", "chicago",
           "san francisco", "texas", "california", "californie", "miami", "seattle"),
    "GB": ("united kingdom", "royaume-uni", "britain", "grande-bretagne", "england",
           "angleterre", "scotland", "ecosse", "wales", "london", "londres", "manchester",
           "birmingham", "glasgow", "edinburgh", "edimbourg"),
    "IE": ("ireland", "irlande", "dublin"),
    "DE": ("germany", "allemagne", "deutschland", "berlin", "munich", "munchen", "hamburg",
           "hambourg", "frankfurt", "francfort", "cologne", "koln", "stuttgart", "dusseldorf"),
    "NL": ("netherlands", "pays-bas", "nederland", "holland", "hollande", "amsterdam",
           "rotterdam", "utrecht", "the hague", "la haye", "den haag", "eindhoven"),
    "ES": ("spain", "espagne", "espana", "madrid", "barcelona", "barcelone", "valencia",
           "seville", "sevilla", "malaga", "bilbao"),
    "PT": ("portugal", "lisbon", "lisbonne", "lisboa", "porto"),
    "IT": ("italy", "italie", "italia", "rome", "roma", "milan", "milano", "naples", "napoli",
           "turin", "torino", "florence", "firenze", "venice", "venise", "bologna", "bologne"),
    "AT": ("austria", "autriche", "osterreich", "vienna", "vienne", "wien"),
    "PL": ("poland", "pologne", "polska", "warsaw", "varsovie", "krakow", "cracovie"),
    "CZ": ("czech republic", "czechia", "republique tcheque", "tchequie", "prague", "praha"),
    "SE": ("sweden", "suede", "stockholm"),
    "NO": ("norway", "norvege", "oslo"),
    "DK": ("denmark", "danemark", "copenhagen", "copenhague"),
    "FI": ("finland", "finlande", "helsinki"),
    "GR": ("greece", "grece", "athens", "athenes"),
    "RO": ("romania", "roumanie", "bucharest", "bucarest"),
    "HU": ("hungary", "hongrie", "budapest"),
    "UA": ("ukraine", "kyiv", "kiev"),
    "RU": ("russia", "russie", "moscow", "moscou"),
    "TR": ("turkey", "turquie", "turkiye", "istanbul", "ankara"),
    "MA": ("morocco", "maroc", "casablanca", "rabat", "marrakech", "fes", "tangier", "tanger"),
    "DZ": ("algeria", "algerie", "algiers", "alger", "oran"),
    "TN": ("tunisia", "tunisie", "tunis", "sfax"),
    "SN": ("senegal", "dakar"),
    "CI": ("ivory coast", "cote d'ivoire", "cote divoire", "abidjan"),
    "CM": ("cameroon", "cameroun", "douala", "yaounde"),
    "ML": ("mali", "bamako"),
    "BF": ("burkina faso", "ouagadougou"),
    "CD": ("democratic republic of the congo", "rdc", "kinshasa"),
    "CG": ("republic of the congo", "brazzaville"),
    "GA": ("gabon", "libreville"),
    "BJ": ("benin", "cotonou"),
    "TG": ("togo", "lome"),
    "GN": ("guinea", "guinee", "conakry"),
    "NE": ("niger", "niamey"),
    "MG": ("madagascar", "antananarivo"),
    "HT": ("haiti", "port-au-prince"),
    "EG": ("egypt", "egypte", "cairo", "le caire"),
    "NG": ("nigeria", "lagos", "abuja"),
    "KE": ("kenya", "nairobi"),
    "ZA": ("south africa", "afrique du sud", "johannesburg", "cape town", "le cap"),
    "LB": ("lebanon", "liban", "beirut", "beyrouth"),
    "IL": ("israel", "tel aviv", "jerusalem"),
    "AE": ("united arab emirates", "emirats arabes unis", "dubai", "abu dhabi"),
    "SA": ("saudi arabia", "arabie saoudite", "riyadh", "riyad"),
    "IN": ("india", "inde", "mumbai", "delhi", "new delhi", "bangalore", "bengaluru"),
    "PK": ("pakistan", "karachi", "lahore"),
    "ID": ("indonesia", "indonesie", "jakarta"),
    "JP": ("japan", "japon", "tokyo", "osaka"),
    "KR": ("south korea", "coree du sud", "seoul"),
    "CN": ("china", "chine", "beijing", "pekin", "shanghai"),
    "AU": ("australia", "australie", "sydney", "melbourne"),
    "BR": ("brazil", "bresil", "brasil", "sao paulo", "rio de janeiro"),
    "MX": ("mexico", "mexique", "mexico city"),
    "AR": ("argentina", "argentine", "buenos aires"),
    "CO": ("colombia", "colombie", "bogota"),
}  # fmt: skip

CONTINENT_WORDS: dict[str, tuple[str, ...]] = {
    "europe": ("europe", "european", "europeen", "europeenne", "europa", "eu users"),
    "africa": ("africa", "afrique", "african", "africain"),
    "north-america": ("north america", "amerique du nord"),
    "south-america": ("south america", "latin america", "amerique du sud", "amerique latine"),
    "asia": ("asia", "asie"),
    "middle-east": ("middle east", "moyen-orient"),
    "oceania": ("oceania", "oceanie"),
}

# Country code lists such as "DE, NL, FR, ES, IT, UK": codes are only trusted in a list of three
# or more, because a lone "IT" or "US" is far more often a word than a country.
_CODE_LIST = re.compile(r"\b[A-Z]{2}(?:\s*(?:,|/|;|\band\b|\bet\b)\s*[A-Z]{2}\b){2,}")
_CODE = re.compile(r"\b[A-Z]{2}\b")
_CODE_ALIASES = {"UK": "GB", "EL": "GR"}

_FRENCH_WORDS = _words(
    "le la les des une est pas plus que qui pour dans sur avec sont mais aussi chez ça ce cette "
    "depuis toujours encore rien je tu nous vous ils elles mes mon ma du au aux ne marche "
    "fonctionne panne envoyer appels quelqu'un personne bug"
)
_ENGLISH_WORDS = _words(
    "the is are not and for with this that from have has been anyone else down since my me "
    "any won't can't doesn't isn't it's still just here what why when outage working send"
)
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes unified: the form every match is made on."""
    text = text.casefold()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'")


def _phrase_pattern(words: Iterable[str], *, stem_min: int = 4) -> re.Pattern | None:
    """One regex for a set of words or phrases; words of `stem_min`+ letters also match their
    inflections ("call" → "calls", "calling"; "connect" → "connexion" does not, so French
    forms are listed as keywords)."""
    parts = []
    for word in sorted({fold(w).strip() for w in words if w and w.strip()}, key=len, reverse=True):
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        suffix = r"\w*" if len(word) >= stem_min and word[-1].isalnum() else ""
        parts.append(escaped + suffix)
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def _word_index(table: dict[str, tuple[str, ...]]) -> tuple[re.Pattern, dict[str, str]]:
    """One pattern for every word of `table`, and the key each folded word belongs to: a text
    is scanned once, not once per country."""
    owner = {fold(word): key for key, words in table.items() for word in words}
    pattern = _phrase_pattern(owner, stem_min=99)
    assert pattern is not None
    return pattern, owner


_REGION_RE, _REGION_OF = _word_index(REGION_WORDS)
_CONTINENT_RE, _CONTINENT_OF = _word_index(CONTINENT_WORDS)
_SPACE_RUN = re.compile(r"\s+")


def _matches(pattern: re.Pattern, owner: dict[str, str], folded: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for match in pattern.finditer(folded):
        key = owner.get(_SPACE_RUN.sub(" ", match.group(0)))
        if key is not None:
            found.setdefault(key, match.start())
    return found


def region_hints(text: str) -> list[str]:
    """Country codes (upper case) and continents (lower case) a text mentions, in a stable
    order: countries first by position in the text, then continents."""
    if not text:
        return []
    folded = fold(text)
    found = _matches(_REGION_RE, _REGION_OF, folded)
    for listing in _CODE_LIST.finditer(text):
        for code_match in _CODE.finditer(listing.group(0)):
            code = _CODE_ALIASES.get(code_match.group(0), code_match.group(0))
            if code in ISO_COUNTRY_CODES:
                found.setdefault(code, listing.start() + code_match.start())
    countries = sorted(found, key=lambda c: (found[c], c))
    continents = list(_matches(_CONTINENT_RE, _CONTINENT_OF, folded))
    return countries + continents


class ComponentMatcher:
    """Matches a service's components by their keywords (names such as "Status" are too common
    in posts to be trusted on their own)."""

    def __init__(self, components: Iterable) -> None:
        self._patterns: list[tuple[str, re.Pattern]] = []
        components = list(components)
        self.slugs = {component.slug for component in components}
        for component in components:
            pattern = _phrase_pattern(component.keywords or [])
            if pattern:
                self._patterns.append((component.slug, pattern))

    def match(self, text: str) -> list[str]:
        if not text:
            return []
        folded = fold(text)
        return [slug for slug, pattern in self._patterns if pattern.search(folded)]


def detect_language(text: str) -> str:
    """'fr', 'en' or '' from the share of common French and English words."""
    words = [w.strip("'’-") for w in _WORD.findall(text.casefold())]
    if len(words) < 3:
        return ""
    french = sum(w in _FRENCH_WORDS for w in words)
    english = sum(w in _ENGLISH_WORDS for w in words)
    if max(french, english) < 2 or french == english:
        return ""
    return "fr" if french > english else "en"


_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")


def normalise_language(value: object) -> str:
    """A BCP 47 primary tag such as 'fr' or 'pt-br' (lower case), or ''."""
    if not isinstance(value, str):
        return ""
    value = value.strip().replace("_", "-").lower()[:10]
    if value in ("und", "zxx", "mul"):  # undetermined, no linguistic content, several
        return ""
    return value if _LANGUAGE.match(value) else ""
