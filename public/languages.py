"""The language versions of a public page: the `hreflang` alternates, the language switch
(templates/_language_switch.html) and the note shown when the reader's version does not exist.
A plain helper of the page renderers (imports nothing from public/)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings

# Each language named in itself: a reader looking for their language finds it in their words.
AUTONYMS = {"en": "English", "fr": "Français"}
OG_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def og_locale(language: str) -> str:
    return OG_LOCALES.get(language, language)


def language_context(
    *, current: str, requested: str, existing: set[str], path_for: Callable[[str], str]
) -> dict:
    """Template context for a page in `current`, asked for in `requested`, that exists in
    `existing` languages; `path_for(code)` is the page's address in that language."""
    versions: list[dict[str, Any]] = [
        {
            "code": code,
            "name": AUTONYMS.get(code, code),
            "path": path_for(code),
            "url": settings.SITE_URL + path_for(code),
            "current": code == current,
            "exists": code in existing,
        }
        for code, _name in settings.LANGUAGES
    ]
    return {
        "language_versions": versions,
        "language_missing": requested if requested != current else "",
        "og_locale": og_locale(current),
        "alternate_locales": [
            og_locale(v["code"]) for v in versions if v["exists"] and not v["current"]
        ],
    }
