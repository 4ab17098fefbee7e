"""French typography for text shown on French pages: a narrow no-break space (U+202F) before
; ? ! and a no-break space (U+00A0) before : and inside « guillemets ».

Editors type ordinary spaces (or none); a line must never break between a word and its
punctuation. Addresses (https://…) and times (15:17) are left alone: a colon with no space
before it and a character after it is not French punctuation.
"""

import re

NNBSP = "\u202f"
NBSP = "\u00a0"

# A space (or none) after a word or closing mark, then the punctuation.
_BEFORE_TIGHT = re.compile(r"(?<=[^\s;?!])[ \u00a0\u202f]*([;?!])")
# A colon after a space, or ending a word before a space or the end: "Attention: x", "x :".
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")
_URL = re.compile(r"\w+://\S+")


def _fix(text: str) -> str:
    text = _BEFORE_TIGHT.sub(lambda m: NNBSP + m.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    return _CLOSE_QUOTE.sub(NBSP + "»", text)


def french_typography(text: str) -> str:
    """`text` with French spacing around its punctuation; web addresses kept as they are."""
    if not text:
        return text or ""
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        parts.append(_fix(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_fix(text[last:]))
    return "".join(parts)


def colon_for(language: str) -> str:
    """The colon written between two pieces ("Telegram: about…", "Title: update") in
    `language`: French puts a no-break space before it."""
    return f"{NBSP}:" if (language or "").startswith("fr") else ":"
