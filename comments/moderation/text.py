"""Text helpers shared by the moderation checks and the canned-reply matcher."""

import hashlib
import re
import unicodedata

# Look-alike letters from other scripts and symbols that accent folding keeps.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
        "œ": "oe", "æ": "ae", "ß": "ss", "ı": "i",
        "’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "«": '"', "»": '"',
    }
)  # fmt: skip
_INVISIBLE = re.compile(
    r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)


def fold(text: str) -> str:
    """Lower case, no accents, look-alikes mapped to Latin letters, invisible characters gone.

    Used on both sides of every comparison, so "Cönnard" and "connard" compare equal."""
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_HOMOGLYPHS)


_NON_WORD = re.compile(r"[\W_]+")


def fingerprint(text: str) -> str:
    """Same fingerprint for texts that differ only in case, accents, spacing or punctuation."""
    core = _NON_WORD.sub(" ", fold(text)).strip()
    return hashlib.sha1(core.encode(), usedforsecurity=False).hexdigest()


URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|\b[a-z0-9][a-z0-9-]{0,62}\.(?:com|net|org|info|biz|io|co|ly|gl|gd|me|xyz|top|ru|cn|tk|fr|be|ch|ca|link|click|shop|app|site|online)(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)


def extract_links(text: str) -> list[str]:
    return URL_RE.findall(text)


def link_host(link: str) -> str:
    link = re.sub(r"^(?:https?://)", "", link, flags=re.IGNORECASE)
    host = link.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].lower()
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    return host.removeprefix("www.")


def capital_ratio(text: str) -> tuple[int, float]:
    """How many letters, and which share of them are capitals (links left out)."""
    letters = [c for c in URL_RE.sub(" ", text) if c.isalpha()]
    if not letters:
        return 0, 0.0
    upper = sum(1 for c in letters if c.isupper())
    return len(letters), upper / len(letters)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


_FR_WORDS = _word_set(
    "le la les un une des du de et est sont pas ne je tu il elle nous vous ils mes mon ma tes "
    "ton ta ses son sa que qui quoi quand pourquoi comment ou où avec pour sur dans ce cette "
    "ces ça ca c'est encore toujours depuis plus aussi mais donc car chez moi marche panne "
    "été ont suis rien personne "
)
_EN_WORDS = _word_set(
    "the a an and is are not no i you he she we they my your his her our their that which "
    "what when why how where with for on in this these it it's still since more also but so "
    "at me working down been have has was were will be can nothing anyone "
)
_TOKEN = re.compile(r"[a-z']+")


def detect_language(text: str, default: str = "") -> str:
    """'fr' or 'en' from common words; `default` when the text gives no clear sign."""
    tokens = _TOKEN.findall(fold(text))
    fr = sum(1 for t in tokens if t in _FR_WORDS)
    en = sum(1 for t in tokens if t in _EN_WORDS)
    if fr > en:
        return "fr"
    if en > fr:
        return "en"
    return default


_QUESTION_START = re.compile(
    r"^\s*(?:est[- ]ce|quand|pourquoi|comment|combien|y a[- ]t[- ]il|"
    r"when|why|how|what|which|who|where|is|are|am|will|would|can|could|should|"
    r"do|does|did|has|have|anyone|any)\b",
    re.IGNORECASE,
)
# French inversion: "sont-ils", "sera-t-il", "peut-on" (not "-vous": "rendez-vous").
_FRENCH_INVERSION = re.compile(r"\w-(?:t-)?(?:il|ils|elle|elles|on)\b")


def is_question(text: str) -> bool:
    folded = fold(text).strip()
    if "?" in folded:
        return True
    if _FRENCH_INVERSION.search(folded):
        return True
    return any(_QUESTION_START.match(sentence) for sentence in re.split(r"[.!\n]+", folded))
