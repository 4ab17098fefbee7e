"""Writes of an update's translation (the same announcement in the other language) and of the
incident's title in the other language.

Cleaned with the same sanitizer and size caps as the original (incidents/services/updates.py),
audited, and followed by `incident_changed` so every public document (pages, banner, feeds, API)
re-renders with the new version. Notifications are not sent again: subscribers whose fan-out has
not run yet receive the translation; the others already received the update.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from incidents.events import incident_changed, send_on_commit
from incidents.models import Incident, IncidentUpdate, IncidentUpdateTranslation
from outagedesk.audit import Actor, audit_record
from outagedesk.lib.sanitize import clean_text


class TranslationError(ValueError):
    """Refused: `code` says why (bad_language, same_language, empty)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class TranslationText:
    title: str
    message: str
    advice: str = ""
    call_to_action: str = ""
    sources_text: str = ""


def _cleaned(text: TranslationText) -> TranslationText:
    # The caps of the original update's fields (IncidentUpdate, update_publish).
    return TranslationText(
        title=clean_text(text.title, max_length=200, multiline=False),
        message=clean_text(text.message, max_length=5000),
        advice=clean_text(text.advice, max_length=2000),
        call_to_action=clean_text(text.call_to_action, max_length=300, multiline=False),
        sources_text=clean_text(text.sources_text, max_length=500, multiline=False),
    )


@transaction.atomic
def update_translation_add(
    *, actor: Actor, update: IncidentUpdate, language: str, text: TranslationText
) -> IncidentUpdateTranslation:
    """Add (or replace) `update`'s version in `language`. Replacing keeps the row and logs the
    previous text in the audit log, so nothing is silently lost."""
    if language not in dict(settings.LANGUAGES):
        raise TranslationError("bad_language")
    if language == update.language:
        raise TranslationError("same_language")
    clean = _cleaned(text)
    if not clean.title or not clean.message:
        raise TranslationError("empty")
    previous = IncidentUpdateTranslation.objects.filter(update=update, language=language).first()
    translation, created = IncidentUpdateTranslation.objects.update_or_create(
        update=update,
        language=language,
        defaults={
            "title": clean.title,
            "message": clean.message,
            "advice": clean.advice,
            "call_to_action": clean.call_to_action,
            "sources_text": clean.sources_text,
            "author": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    details = {"update": update.pk, "language": language, "title": clean.title}
    if previous is not None:
        details["previous_title"] = previous.title
        details["previous_message"] = previous.message[:500]
    audit_record(
        actor=actor,
        action="update.translation_added" if created else "update.translation_replaced",
        target=update.incident,
        details=details,
    )
    send_on_commit(incident_changed, incident=update.incident)
    return translation


def incident_title_translate(
    *, actor: Actor, incident: Incident, language: str, title: str
) -> Incident:
    """Set (or replace) `incident`'s title in `language`, cleaned and capped as the original.
    The page in `language` needs it: without it the page stays in the original language."""
    if language not in dict(settings.LANGUAGES):
        raise TranslationError("bad_language")
    if language == incident.language:
        raise TranslationError("same_language")
    clean = clean_text(title, max_length=200, multiline=False)
    if not clean:
        raise TranslationError("empty")
    return _title_translation_store(actor=actor, incident=incident, language=language, title=clean)


def incident_title_translation_remove(
    *, actor: Actor, incident: Incident, language: str
) -> Incident:
    """Remove `incident`'s title in `language`: pages in `language` are no longer offered (they
    show the original language, with a note) until a title is given again."""
    return _title_translation_store(actor=actor, incident=incident, language=language, title="")


@transaction.atomic
def _title_translation_store(
    *, actor: Actor, incident: Incident, language: str, title: str
) -> Incident:
    """The one write of a translated title ("" removes it): locked, versioned (an open state
    form is then stale), audited with the previous title, and the public documents refreshed."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    previous = incident.title_in(language)
    if language == incident.language or title == previous:
        return incident
    kept = dict(incident.title_translations or {})
    kept.pop(language, None)
    incident.title_translations = {**kept, language: title} if title else kept
    incident.version += 1
    incident.save(update_fields=["title_translations", "version", "updated_at"])
    if not title:
        action = "incident.title_translation_removed"
    elif previous:
        action = "incident.title_translation_replaced"
    else:
        action = "incident.title_translated"
    details = {"language": language, "title": title}
    if previous:
        details["previous_title"] = previous
    audit_record(actor=actor, action=action, target=incident, details=details)
    send_on_commit(incident_changed, incident=incident)
    return incident
