"""The FAQ of an incident: reader questions answered once and shown to everyone.

A new incident starts from the service-wide questions (FAQEntry rows without an incident, seeded
from what readers ask every time), unpublished until an editor has checked the answer. Saving a
stale form raises FAQConflict, as for incidents, so two editors never overwrite each other.
"""

from django.db import transaction
from django.db.models import Max

from incidents.events import incident_changed, send_on_commit
from incidents.models import FAQEntry, Incident
from outagedesk.audit import audit_record
from outagedesk.lib.sanitize import clean_text

# Answers are written once but read for hours: a clock time in them would go stale.
LAST_UPDATE_WORDING = {
    "fr": "voir l'heure de la dernière mise à jour en haut de cette page",
    "en": "see the time of the last update at the top of this page",
}
ALTERNATIVES_JOIN = {"fr": " ou ", "en": " or "}


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


def _fill_answer(answer: str, incident: Incident) -> str:
    language = incident.language if incident.language in LAST_UPDATE_WORDING else "en"
    service = incident.service
    alternatives = [a.get("name", "") for a in service.alternatives or [] if a.get("name")]
    return (
        answer.replace("{last_update_time}", LAST_UPDATE_WORDING[language])
        .replace("{official_link}", service.help_url or service.official_account_url or "")
        .replace("{alternatives}", ALTERNATIVES_JOIN[language].join(alternatives))
    )


def _announce(entry: FAQEntry) -> None:
    if entry.incident and entry.incident.is_public:
        send_on_commit(incident_changed, incident=entry.incident)


@transaction.atomic
def faq_prefill(*, actor, incident: Incident) -> int:
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
            answer=_fill_answer(seed.answer, incident),
            position=seed.position,
            is_published=False,
            updated_by=actor if getattr(actor, "is_authenticated", False) else None,
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
def faq_add(*, actor, incident: Incident, question: str, answer: str = "") -> FAQEntry:
    question = clean_text(question, max_length=300, multiline=False)
    if not question:
        raise FAQError("question_required")
    position = (incident.faq_entries.aggregate(top=Max("position"))["top"] or 0) + 1
    entry = FAQEntry.objects.create(
        incident=incident,
        service=incident.service,
        language=incident.language,
        question=question,
        answer=clean_text(answer, max_length=5000),
        position=position,
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="faq.add", target=entry, details={"incident": incident.pk})
    return entry


@transaction.atomic
def faq_save(
    *,
    actor,
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
    question = clean_text(question, max_length=300, multiline=False)
    answer = clean_text(answer, max_length=5000)
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
    locked.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save()
    action = "faq.save"
    if "is_published" in changed:
        action = "faq.publish" if is_published else "faq.unpublish"
    audit_record(actor=actor, action=action, target=locked, details={"changed": changed})
    if was_public or is_published:
        _announce(locked)
    return locked
