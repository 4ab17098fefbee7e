"""Publishing an update together with its version in the other language.

Both rows are written in one transaction: a translation that is refused (a placeholder or a
"[to fill: …]" marker left, an empty title or message) publishes nothing, so the editor never
leaves a half-announced update behind and keeps what they typed."""

from django.db import transaction

from incidents.models import IncidentUpdate, IncidentUpdateTranslation
from incidents.services.translations import (
    TranslationError,
    TranslationText,
    incident_title_translate,
    update_translation_add,
)
from incidents.services.updates import (
    UpdateDraft,
    draft_render,
    text_ready_check,
    update_publish,
)
from outagedesk.audit import Actor

# The composer's translation fields carry this prefix; TextNotReady names them with it.
TRANSLATION_PREFIX = "translation_"


def translation_render(
    *, update: IncidentUpdate, language: str, text: TranslationText
) -> TranslationText:
    """The translation as it will be stored: placeholders filled with the incident's values in
    `language`, refused with TextNotReady if anything is left to fill."""
    rendered = draft_render(
        incident=update.incident,
        language=language,
        title=text.title,
        message=text.message,
        advice=text.advice,
        call_to_action=text.call_to_action,
    )
    text_ready_check(rendered, field_prefix=TRANSLATION_PREFIX)
    return TranslationText(
        title=rendered.title,
        message=rendered.message,
        advice=rendered.advice,
        call_to_action=rendered.call_to_action,
        sources_text=rendered.sources_text,
    )


@transaction.atomic
def translation_add_filled(
    *,
    actor: Actor,
    update: IncidentUpdate,
    language: str,
    text: TranslationText,
    incident_title: str = "",
) -> IncidentUpdateTranslation:
    """Add a translation typed in the composer (placeholders allowed, leftovers refused), with
    the incident's title in `language` (needed once: a page, feed or email in `language` shows
    it). Refused with TranslationError("incident_title") when the incident has no title in
    `language` yet and none is given."""
    filled = translation_render(update=update, language=language, text=text)
    incident = update.incident
    if incident_title.strip():
        incident_title_translate(
            actor=actor, incident=incident, language=language, title=incident_title
        )
    elif language != incident.language and not incident.title_in(language):
        raise TranslationError("incident_title")
    return update_translation_add(actor=actor, update=update, language=language, text=filled)


@transaction.atomic
def update_publish_translated(
    *,
    actor: Actor,
    draft: UpdateDraft,
    language: str,
    text: TranslationText,
    incident_title: str = "",
) -> IncidentUpdate:
    """Publish `draft` and its version in `language` (and the incident's title in it, when
    given), all or nothing."""
    update = update_publish(actor=actor, draft=draft)
    translation_add_filled(
        actor=actor, update=update, language=language, text=text, incident_title=incident_title
    )
    return update
