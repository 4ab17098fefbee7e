"""The one sanitizing policy for untrusted text: everything a reader types, a source returns or
a staff form submits. Every app calls these functions; none keeps a policy of its own.

- `clean_text(value, max_length=...)`: untrusted text or HTML in, plain text out. Tags stripped
  by bleach (script, style and the like with their content), entities decoded, again until
  nothing changes (a source that escapes twice must not leave a literal "<script>" behind), any
  "<" still opening something tag-like turned into "‹", C0 and C1 control characters and
  invisible direction marks removed, whitespace folded, length capped. The result is stable:
  cleaning it again gives it back unchanged.
- `safe_url(value)`: an http(s) URL or "" (never javascript:, data:, …).
- `linkify_plain_text(text)`: plain text to HTML for the few places that render HTML (comments,
  updates, feeds): escaped first, then only http(s) links added.

Templates escape stored text again on output (autoescape), so nothing stored can run script even
if a template forgot a filter.
"""

import html
import re
import unicodedata

import bleach
from bleach.linkifier import Linker

# C0 controls but tab, newline and carriage return (folded below), DEL, C1 controls, and the
# zero-width and direction marks that can disguise text.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
_SPACES = re.compile(r"[ \t\u00a0]+")


def _one_space(match: re.Match[str]) -> str:
    # A lone no-break space is French typography ("Panne : ...", "15 h"), kept as typed; any
    # other run of spaces becomes one plain space.
    return match.group(0) if match.group(0) == "\u00a0" else " "


_BLANK_LINES = re.compile(r"\n{3,}")
# Content of these elements is never text a reader should see.
_DROP_ELEMENTS = re.compile(
    r"<(script|style|iframe|object|embed|template|noscript|svg|math)\b.*?(</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAGS = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.IGNORECASE)
# What an HTML parser could read as the start of a tag, a comment or a declaration.
_TAG_LIKE = re.compile(r"<(?=\s*/?\s*[a-zA-Z!?])")
# An "&" that html.unescape could read as the start of an entity ("&lt;", "&#60;", "&amp").
_ENTITY_START = re.compile(r"&(?=#?[0-9a-zA-Z])")
# Each pass decodes one level of entities; text escaped more often than this is hostile.
MAX_PASSES = 5


def clean_text(value: object, *, max_length: int, multiline: bool = True) -> str:
    """Untrusted text or HTML in, safe plain text out (never longer than max_length).

    multiline=False folds newlines into spaces (names, titles, one-line fields)."""
    if value is None:
        return ""
    text = _clean_once(str(value), max_length=max_length, multiline=multiline)
    for _pass in range(MAX_PASSES):
        if "<" not in text and not _ENTITY_START.search(text):
            break  # no markup and no entity: another pass cannot change anything
        again = _clean_once(text, max_length=max_length, multiline=multiline)
        if again == text:
            break
        text = again
    else:
        # Still decoding after every pass: show the remaining entities as typed, so cleaning
        # the result again gives it back unchanged.
        text = _ENTITY_START.sub("\uff06", text)
    # Whatever still looks like a tag after the passes is shown, never parsed.
    return _TAG_LIKE.sub("‹", text)


def _clean_once(text: str, *, max_length: int, multiline: bool) -> str:
    # Cap the work done on hostile input before any regex runs over it.
    text = text[: max_length * 4 + 1000]
    # Without "<" or "&" there is no markup and no entity: bleach and unescaping would give the
    # text back unchanged, at about 2 ms a call (a gathering run cleans thousands of fields).
    if "<" in text or "&" in text:
        text = _DROP_ELEMENTS.sub(" ", text)
        text = _BLOCK_TAGS.sub("\n", text)
        text = bleach.clean(text, tags=set(), attributes={}, strip=True, strip_comments=True)
        # bleach leaves entities escaped; decode one level to plain text (clean_text runs
        # another pass while the decoded text still holds markup or entities).
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        text = "\n".join(_SPACES.sub(_one_space, line).strip() for line in text.split("\n"))
        text = _BLANK_LINES.sub("\n\n", text).strip()
    else:
        text = _SPACES.sub(_one_space, text.replace("\n", " ")).strip()
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


def _link_attributes(
    attrs: dict[tuple[str | None, str], str], new: bool = False
) -> dict[tuple[str | None, str], str] | None:
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
    linked: str = _linker.linkify(escaped)
    return linked.replace("\n", "<br>")
