"""Which version of each update a reader sees: the one rule behind "one language per page".

An update is available in its own language and in each language it has a translation for. A
page (or banner, feed, email, webhook) asked for in language L is in L when every update it
shows exists in L, and the incident's title too (Incident.title_in); otherwise it is in the content's language (the incident's, else the one most
updates exist in) and says the other version does not exist yet.

`localized` swaps the chosen version's text into the update objects in memory, so every
renderer and template keeps reading `update.title`, `update.message`… These objects are for
display only: never save them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from incidents.models import Incident, IncidentUpdate, IncidentUpdateTranslation
from incidents.selectors.public import PUBLIC_STATUSES

TRANSLATED_FIELDS = ("title", "message", "advice", "call_to_action")
# Bounds how long a missed invalidation could leave a comment section in the former language.
PAGE_LANGUAGE_SECONDS = 60


def other_language(language: str) -> str:
    """The language a translation is written in: the newsroom publishes in two."""
    return next((code for code, _name in settings.LANGUAGES if code != language), language)


def translations_for(
    updates: Iterable[IncidentUpdate], *, fields: Sequence[str] = ()
) -> dict[int, dict[str, IncidentUpdateTranslation]]:
    """The translations of `updates`, by update and language (only `fields` loaded, if given)."""
    ids = [u.pk for u in updates]
    found: dict[int, dict[str, IncidentUpdateTranslation]] = {}
    rows = IncidentUpdateTranslation.objects.filter(update_id__in=ids)
    for row in rows.only(*fields) if fields else rows:
        found.setdefault(row.update_id, {})[row.language] = row
    return found


def available_languages(
    update: IncidentUpdate, translations: dict[int, dict[str, IncidentUpdateTranslation]]
) -> set[str]:
    return {update.language, *translations.get(update.pk, {})}


@dataclass(frozen=True)
class LanguageChoice:
    language: str  # what the page is written in
    requested: str  # what the reader asked for
    complete: set[str]  # languages every shown update exists in

    @property
    def missing(self) -> bool:
        """The reader asked for a version that does not exist (yet)."""
        return self.language != self.requested


def choose_language(
    requested: str,
    *,
    incident: Incident | None,
    updates: Sequence[IncidentUpdate],
    translations: dict[int, dict[str, IncidentUpdateTranslation]],
) -> LanguageChoice:
    codes = [code for code, _name in settings.LANGUAGES]
    if requested not in codes:
        requested = settings.LANGUAGE_CODE
    complete = {
        code for code in codes if all(code in available_languages(u, translations) for u in updates)
    }
    if incident is not None:
        # The incident's title is on the page too: a language it was not written in is not one
        # the page exists in, however many updates were translated.
        complete = {code for code in complete if incident.title_in(code)}
    if not updates and incident is not None:
        # Nothing published yet in any language: the incident's own language is the content's.
        complete = {incident.language}
    if requested in complete:
        return LanguageChoice(requested, requested, complete)
    own = incident.language if incident is not None else settings.LANGUAGE_CODE
    if own in complete:
        return LanguageChoice(own, requested, complete)
    if complete:
        return LanguageChoice(sorted(complete)[0], requested, complete)
    counts = {
        code: sum(code in available_languages(u, translations) for u in updates) for code in codes
    }
    best = max(codes, key=lambda code: (counts[code], code == own))
    return LanguageChoice(best, requested, complete)


def localize(
    update: IncidentUpdate,
    language: str,
    translations: dict[int, dict[str, IncidentUpdateTranslation]],
) -> IncidentUpdate:
    """`update` showing its version in `language` when it has one (in memory only)."""
    version = translations.get(update.pk, {}).get(language)
    if version is not None and update.language != language:
        for name in TRANSLATED_FIELDS:
            setattr(update, name, getattr(version, name))
        if version.sources_text:
            update.sources_text = version.sources_text
        # An attribute of the in-memory copy only (the language it was written in); the stubs
        # know model fields, not attributes added for one render.
        update.original_language = update.language  # type: ignore[attr-defined]
        update.language = language
    return update


def localized(
    updates: Sequence[IncidentUpdate],
    language: str,
    translations: dict[int, dict[str, IncidentUpdateTranslation]] | None = None,
) -> list[IncidentUpdate]:
    translations = translations_for(updates) if translations is None else translations
    return [localize(u, language, translations) for u in updates]


def incident_versions(
    requested: str, *, incident: Incident, updates: Sequence[IncidentUpdate]
) -> tuple[LanguageChoice, list[IncidentUpdate]]:
    """The language an incident's page is in for a reader asking for `requested`, and its
    updates in that language."""
    translations = translations_for(updates)
    choice = choose_language(
        requested, incident=incident, updates=updates, translations=translations
    )
    return choice, localized(updates, choice.language, translations)


def _page_language_key(incident_id: int, requested: str) -> str:
    return f"incident-page-language:{incident_id}:{requested}"


def incident_page_language(incident: Incident, requested: str) -> str:
    """The language of `incident`'s page (and its comments, forms) asked for in `requested`.

    Every comment posted during a crisis asks this, so the answer is cached until the incident's
    content changes (incidents/receivers.py forgets it on `update_published` and
    `incident_changed`), and computed from only what the choice depends on: each published
    update's language and the languages of its translations."""
    codes = [code for code, _name in settings.LANGUAGES]
    requested = requested if requested in codes else settings.LANGUAGE_CODE
    key = _page_language_key(incident.pk, requested)
    language = cache.get(key)
    if isinstance(language, str):
        return language
    updates = list(
        IncidentUpdate.objects.filter(incident=incident, status__in=PUBLIC_STATUSES).only(
            "pk", "language"
        )
    )
    translations = translations_for(updates, fields=("update_id", "language"))
    language = choose_language(
        requested, incident=incident, updates=updates, translations=translations
    ).language
    cache.set(key, language, PAGE_LANGUAGE_SECONDS)
    return language


def incident_page_language_forget(incident_id: int) -> None:
    cache.delete_many([_page_language_key(incident_id, code) for code, _ in settings.LANGUAGES])
