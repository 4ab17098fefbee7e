"""Matching the banned and suspect word lists against obfuscated text, on word boundaries.

Each listed word becomes a regular expression over the folded text (see `text.fold`):
- every letter may repeat ("connnnard") and may be written with common look-alike digits or
  symbols ("c0nn4rd", "sh!t", "f*ck");
- the letters may be spread out with one consistent separator ("c.o.n", "c o n", "c-o-n");
- the match must start and end on a word boundary, so "connexion", "Scunthorpe", "assistance"
  or "députés" never match "con", "cunt", "ass" or "pute", and abbreviations ("fdp", "tg") are
  whole tokens only: "tgv" and "appointment" pass;
- a match must hold at least one letter: look-alikes stand in for some letters, not all of them,
  so "79" (a French département, a price) is not "tg".
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from comments.models import ModerationWord
from comments.moderation.text import fold

_LOOKALIKES = {
    "a": "a4@*",
    "b": "b8",
    "e": "e3€*",
    "g": "g9",
    "i": "i1!|*",
    "l": "l1|",
    "o": "o0*",
    "s": "s5$",
    "t": "t7+",
    "u": "uv*",
    "z": "z2",
}
_PUNCTUATION = r"[.\-_*·•|~/\\,:;+]"


def _letter(char: str) -> str:
    chars = _LOOKALIKES.get(char, char)
    return f"[{re.escape(chars)}]+" if len(chars) > 1 else f"{re.escape(chars)}+"


def _token_patterns(token: str) -> tuple[str, str | None]:
    letters = [_letter(c) for c in token]
    compact = "".join(letters)
    if len(token) < 3 or not token.isalpha():
        return compact, None
    # Spread-out letters use one separator, the same between every letter: "c.o.n" or "c o n",
    # not "plan C, on". Punctuation separators must not continue on either side, or "c.o.n" would
    # be found inside "c.o.n.n.e.x.i.o.n".
    spaced = r"(\s{1,2})" + r"\1".join(letters[1:])
    dotted = f"({_PUNCTUATION}{{1,2}})" + r"\2".join(letters[1:])
    spread = f"{letters[0]}{spaced}|(?<!\\w{_PUNCTUATION}){letters[0]}{dotted}(?!\\2\\w)"
    return compact, spread


def word_pattern(word: str) -> re.Pattern:
    tokens = fold(word).split()
    if len(tokens) == 1:
        compact, spaced = _token_patterns(tokens[0])
        body = compact if spaced is None else f"(?:{compact}|{spaced})"
    else:
        body = r"[\W_]+".join(_token_patterns(t)[0] for t in tokens)
    return re.compile(rf"(?<!\w){body}(?!\w)")


@dataclass(frozen=True)
class WordHit:
    word: str
    action: str  # ModerationWord.Action value
    matched: str


class WordMatcher:
    def __init__(self, entries: tuple[tuple[str, str], ...]):
        self.entries = [(word, action, word_pattern(word)) for word, action in entries if word]

    def find(self, text: str) -> list[WordHit]:
        folded = fold(text)
        hits = []
        for word, action, pattern in self.entries:
            for match in pattern.finditer(folded):
                if any(char.isalpha() for char in match.group(0)):
                    hits.append(WordHit(word=word, action=action, matched=match.group(0)))
                    break
        return hits


@lru_cache(maxsize=8)
def _matcher_for(entries: tuple[tuple[str, str], ...]) -> WordMatcher:
    return WordMatcher(entries)


def current_matcher() -> WordMatcher:
    """The matcher for the lists as they are now; compiled once per distinct list."""
    entries = tuple(sorted(set(ModerationWord.objects.values_list("word", "action").order_by())))
    return _matcher_for(entries)
