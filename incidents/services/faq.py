"""The FAQ of an incident: reader questions answered once and shown to everyone.

A new incident starts from the service-wide questions (FAQEntry rows without an incident, seeded
from what readers ask every time), unpublished until an editor has checked the answer. Saving a
stale form raises FAQConflict, as for incidents, so two editors never overwrite each other.
"""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from incidents.events import incident_changed, send_on_commit
from incidents.models import FAQEntry, Incident
from incidents.placeholders import placeholders_fill_from
from outagedesk.audit import Actor, audit_record
from outagedesk.lib.sanitize import clean_text

MAX_QUESTION = 300
MAX_ANSWER = 5000


class FAQError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class FAQConflict(FAQError):
    def __init__(self, current: FAQEntry):
        super().__init__("conflict")
        self.current = current


def faq_version(entry: FAQEntry) -> str:
    """The token a form carries to detect a concurrent save."""
    return entry.updated_at.isoformat() if entry.updated_at else ""


def _next_position(incident: Incident) -> int:
    return (incident.faq_entries.aggregate(top=Max("position"))["top"] or 0) + 1


def _editor(actor: Actor) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _announce(entry: FAQEntry) -> None:
    if entry.incident and entry.incident.is_public:
        send_on_commit(incident_changed, incident=entry.incident)


@transaction.atomic
def faq_prefill(*, actor: Actor, incident: Incident) -> int:
    """Copy the service-wide questions in the incident's language; returns how many were added.
    Questions the incident already has are skipped, so running it twice adds nothing."""
    existing = set(incident.faq_entries.values_list("question", flat=True))
    seeds = FAQEntry.objects.filter(
        service=incident.service, incident=None, language=incident.language
    ).order_by("position", "id")
    entries = [
        FAQEntry(
            incident=incident,
            service=incident.service,
            language=incident.language,
            question=seed.question,
            # Answers stay up for hours: no clock time that would go stale in them.
            answer=placeholders_fill_from(
                seed.answer, incident=incident, language=incident.language, lasting=True
            ),
            position=seed.position,
            is_published=False,
            updated_by=_editor(actor),
        )
        for seed in seeds
        if seed.question not in existing
    ]
    FAQEntry.objects.bulk_create(entries)
    if entries:
        audit_record(
            actor=actor,
            action="faq.prefill",
            target=incident,
            details={"questions": [entry.question for entry in entries]},
        )
    return len(entries)


@transaction.atomic
def faq_add(*, actor: Actor, incident: Incident, question: str, answer: str = "") -> FAQEntry:
    question = clean_text(question, max_length=MAX_QUESTION, multiline=False)
    if not question:
        raise FAQError("question_required")
    entry = FAQEntry.objects.create(
        incident=incident,
        service=incident.service,
        language=incident.language,
        question=question,
        answer=clean_text(answer, max_length=MAX_ANSWER),
        position=_next_position(incident),
        updated_by=_editor(actor),
    )
    audit_record(actor=actor, action="faq.add", target=entry, details={"incident": incident.pk})
    return entry


@transaction.atomic
def faq_publish_answer(
    *,
    actor: Actor,
    incident: Incident,
    question: str,
    answer: str,
    language: str = "",
    entry: FAQEntry | None = None,
    details: dict[str, Any] | None = None,
) -> FAQEntry:
    """Publish a question with its answer in the incident's FAQ at once (a moderator promoting
    a reader's question): a new entry, or `entry` updated when the FAQ already asks it.
    `details` (where the answer came from) goes into the audit log."""
    question = clean_text(question, max_length=MAX_QUESTION, multiline=False)
    answer = clean_text(answer, max_length=MAX_ANSWER)
    if not question:
        raise FAQError("question_required")
    if not answer:
        raise FAQError("answer_required")
    created = entry is None
    if entry is None:
        entry = FAQEntry(
            incident=incident,
            service=incident.service,
            language=language or incident.language,
            question=question,
            position=_next_position(incident),
        )
    else:
        entry = FAQEntry.objects.select_for_update().get(pk=entry.pk, incident=incident)
    entry.answer, entry.is_published, entry.updated_by = answer, True, _editor(actor)
    entry.save()
    audit_record(
        actor=actor,
        action="faq.create" if created else "faq.update",
        target=entry,
        details={"incident": incident.slug, **(details or {})},
    )
    _announce(entry)
    return entry


@transaction.atomic
def faq_save(
    *,
    actor: Actor,
    entry: FAQEntry,
    question: str,
    answer: str,
    expected_version: str,
    publish: bool | None = None,
) -> FAQEntry:
    """Save an answer; `publish` True/False shows or hides it, None keeps it as it is."""
    locked = (
        FAQEntry.objects.select_for_update(of=("self",)).select_related("incident").get(pk=entry.pk)
    )
    if faq_version(locked) != expected_version:
        raise FAQConflict(locked)
    question = clean_text(question, max_length=MAX_QUESTION, multiline=False)
    answer = clean_text(answer, max_length=MAX_ANSWER)
    if not question:
        raise FAQError("question_required")
    is_published = locked.is_published if publish is None else publish
    if is_published and not answer:
        raise FAQError("answer_required")
    changed = {
        name: [old, new]
        for name, old, new in (
            ("question", locked.question, question),
            ("answer", locked.answer, answer),
            ("is_published", locked.is_published, is_published),
        )
        if old != new
    }
    if not changed:
        return locked
    was_public = locked.is_published
    locked.question, locked.answer, locked.is_published = question, answer, is_published
    locked.updated_by = _editor(actor)
    locked.save()
    action = "faq.save"
    if "is_published" in changed:
        action = "faq.publish" if is_published else "faq.unpublish"
    audit_record(actor=actor, action=action, target=locked, details={"changed": changed})
    if was_public or is_published:
        _announce(locked)
    return locked
