"""Sanitising untrusted text: everything a reader types and everything a source returns.

Stored text is plain text: tags stripped by bleach, entities decoded, control characters removed,
whitespace folded and length capped. Templates escape it again on output (autoescape), so nothing
stored can run script even if a template forgot a filter. HTML that is rendered as HTML (linkified
comments) goes through `linkify_plain_text`, which escapes first and then adds only safe links.
"""

import html
import re
import unicodedata

import bleach
from bleach.linkifier import Linker

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Content of these elements is never text a reader should see.
_DROP_ELEMENTS = re.compile(
    r"<(script|style|iframe|object|embed|template|noscript|svg|math)\b.*?(</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAGS = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.IGNORECASE)


def clean_text(value: object, *, max_length: int, multiline: bool = True) -> str:
    """Untrusted text or HTML in, safe plain text out (never longer than max_length)."""
    if value is None:
        return ""
    text = str(value)
    # Cap the work done on hostile input before any regex runs over it.
    text = text[: max_length * 4 + 1000]
    # Without "<" or "&" there is no markup and no entity: bleach and unescaping would give the
    # text back unchanged, at about 2 ms a call (a gathering run cleans thousands of fields).
    if "<" in text or "&" in text:
        text = _DROP_ELEMENTS.sub(" ", text)
        text = _BLOCK_TAGS.sub("\n", text)
        text = bleach.clean(text, tags=set(), attributes={}, strip=True, strip_comments=True)
        # bleach leaves entities escaped; decode once to plain text. Twice-encoded entities stay
        # text ("&lt;" in the source shows as "<" to readers, and is escaped again on output).
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        text = _BLANK_LINES.sub("\n\n", text).strip()
    else:
        text = _SPACES.sub(" ", text.replace("\n", " ")).strip()
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


SAFE_URL_SCHEMES = ("http", "https")


def safe_url(value: object, *, max_length: int = 1000) -> str:
    """An http(s) URL or ''. javascript:, data: and other schemes never reach an href."""
    if not value:
        return ""
    url = _CONTROL.sub("", str(value)).strip()
    if len(url) > max_length or any(c.isspace() for c in url):
        return ""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in SAFE_URL_SCHEMES:
        return ""
    return url


def _link_attributes(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not safe_url(href):
        return None  # bleach drops the link and keeps the text
    attrs[(None, "rel")] = "nofollow ugc noopener noreferrer"
    attrs[(None, "target")] = "_blank"
    return attrs


_linker = Linker(callbacks=[_link_attributes], skip_tags={"pre", "code"}, parse_email=False)


def linkify_plain_text(text: str) -> str:
    """Plain text to HTML with http(s) URLs as links and line breaks kept. Safe to mark_safe."""
    escaped = html.escape(text, quote=True)
    linked = _linker.linkify(escaped)
    return linked.replace("\n", "<br>")
