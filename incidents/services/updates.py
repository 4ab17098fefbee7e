"""Composing and publishing timestamped updates.

- Templates and editors write placeholders (the one vocabulary of `incidents.placeholders`:
  {service}, {components}, {since}, {time}, {sources}, {official_links}…); they are filled from
  the incident at publish time, so {time} is the moment of publication. A text that still holds
  an unknown {name} or an editor's marker ("[to fill: components]") is refused (TextNotReady,
  naming the field): readers never see either.
- The sources sentence ("Selon Downdetector et le compte officiel de WhatsApp") is built from the
  incident's verified evidence, never typed, so attribution follows what editors checked.
- The two-source rule (`incidents.services.confirmation`) is enforced here too, not only in the
  form: a publication the rule refuses raises ConfirmationBlocked.
- Updates are append-only: a correction is a new update pointing at the one it corrects.

The phrases themselves (per update language) live in `incidents.services.wording`.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from incidents.events import incident_changed, send_on_commit, update_published
from incidents.models import Evidence, Incident, IncidentUpdate, ResponseTemplate
from incidents.placeholders import (
    markers_left,
    placeholder_values,
    placeholders_fill,
    placeholders_left,
)
from incidents.services.confirmation import (
    ConfirmationCheck,
    VerifiedBasis,
    confirmation_check,
    confirmation_ruling,
    verified_basis,
)
from incidents.services.incidents import apply_status

# Re-exported: the wording helpers are part of this module's public surface.
from incidents.services.wording import (
    format_since,
    format_time,
    sources_list,
    sources_sentence,
)
from outagedesk.audit import Actor, audit_record
from outagedesk.lib.sanitize import clean_text

Status = Incident.Status
PUBLISHABLE_STATUSES = (
    Status.INVESTIGATING,
    Status.IDENTIFIED,
    Status.MONITORING,
    Status.RESOLVED,
)

# Readers in a crisis want to know when they will hear more: every update promises the next one
# this long after publication unless the editor says otherwise; a resolution promises none.
NEXT_UPDATE_DEFAULT_MINUTES = 30
NEXT_UPDATE_MAX_MINUTES = 24 * 60


# --- Drafts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """The text of an update as it would be published now: placeholders filled, cleaned, the
    sources sentence built. (`UpdateDraft` is what the editor asks for, before this.)"""

    title: str
    message: str
    advice: str = ""
    call_to_action: str = ""
    sources_text: str = ""
    values: dict[str, str] = field(default_factory=dict)


def draft_render(
    *,
    incident: Incident,
    language: str,
    title: str,
    message: str,
    advice: str = "",
    call_to_action: str = "",
    now: datetime | None = None,
    basis: VerifiedBasis | None = None,
) -> Draft:
    """The update as it would be published now: placeholders filled, text cleaned."""
    now = now or timezone.now()
    if basis is None:
        basis = verified_basis(incident)
    values = placeholder_values(
        incident=incident, language=language, now=now, sources=basis.sources
    )
    return Draft(
        title=clean_text(placeholders_fill(title, values), max_length=200, multiline=False),
        message=clean_text(placeholders_fill(message, values), max_length=5000),
        advice=clean_text(placeholders_fill(advice, values), max_length=2000),
        call_to_action=clean_text(
            placeholders_fill(call_to_action, values), max_length=300, multiline=False
        ),
        sources_text=sources_sentence(
            sources=basis.sources, language=language, service=incident.service
        ),
        values=values,
    )


def template_render(
    *, template: ResponseTemplate, incident: Incident, now: datetime | None = None
) -> Draft:
    """A template filled from the incident, in the template's language."""
    return draft_render(
        incident=incident,
        language=template.language,
        title=template.title,
        message=template.message,
        advice=template.advice,
        call_to_action=template.call_to_action,
        now=now,
    )


def next_update_default_minutes(*, status: str) -> int:
    """Minutes until the promised next update for an update announcing `status` (0: none)."""
    return 0 if status == Status.RESOLVED else NEXT_UPDATE_DEFAULT_MINUTES


def notify_default(*, incident: Incident, status: str) -> bool:
    """Subscribers asked to hear when the state changes: the first update, a new status, a
    changed impact and the resolution notify by default. Only a follow-up that keeps the status
    and impact of the last update (a correction never counts) may stay quiet."""
    if status == Status.RESOLVED:
        return True
    last = (
        incident.updates.filter(corrects__isnull=True)
        .order_by("-published_at", "-id")
        .values("status", "impact")
        .first()
    )
    if last is None or last["status"] != status:
        return True
    # Updates published before impacts were recorded carry none: nothing to compare with.
    return bool(last["impact"]) and last["impact"] != incident.impact


# --- Publishing ------------------------------------------------------------------------------


class UpdateError(Exception):
    """A publication the rules refuse; `code` names the rule, the newsroom words it."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


class ConfirmationBlocked(UpdateError):
    def __init__(self, check: ConfirmationCheck, *, reason_missing: bool = False):
        super().__init__(
            "confirmation_blocked",
            f"{check.independent_count} independent verified source(s), {check.required} needed",
        )
        self.check = check
        # True when an admin asked to override without writing why.
        self.reason_missing = reason_missing


class TextNotReady(UpdateError):
    """A field still holds a placeholder nothing fills or a marker the editor must replace."""

    def __init__(self, field_name: str, leftovers: list[str]):
        super().__init__("text_not_ready", f"{field_name}: {', '.join(leftovers)}")
        self.field = field_name
        self.leftovers = leftovers


class UpdateConflict(UpdateError):
    """Someone published another update after this composer was opened."""

    def __init__(self, latest: IncidentUpdate | None):
        super().__init__("conflict", "another update was published meanwhile")
        self.latest = latest


@dataclass(frozen=True)
class UpdateDraft:
    """What an editor asks to publish, as typed (placeholders unfilled, text not yet cleaned)."""

    incident: Incident
    title: str
    message: str
    advice: str = ""
    call_to_action: str = ""
    status: str | None = None  # None: the incident's status (investigating for a draft)
    language: str | None = None  # None: the incident's language
    confirmed: bool = False  # states a confirmed outage, under the two-source rule
    override_reason: str = ""  # an admin's reason to confirm despite the rule
    notify: bool | None = None  # None: `notify_default`, never for a correction
    corrects: IncidentUpdate | None = None
    correction_note: str = ""
    # The latest update the composer saw (0 for "none yet"); None skips the check.
    expected_last_update_id: int | None = None
    template: ResponseTemplate | None = None  # recorded in the audit log only
    # Minutes from publication to the promised next update: None for the default
    # (`next_update_default_minutes`: 30, none on a resolution), 0 for no promise.
    next_update_minutes: int | None = None


@dataclass(frozen=True)
class _Decision:
    """Everything the rules settled about one publication, before anything is written."""

    status: str
    language: str
    correction_note: str
    override_reason: str
    overridden: bool
    notify: bool
    next_update_by: datetime | None
    basis: VerifiedBasis
    check: ConfirmationCheck
    text: Draft
    now: datetime


@transaction.atomic
def update_publish(*, actor: Actor, draft: UpdateDraft) -> IncidentUpdate:
    """Publish an update: the incident becomes public and takes the update's status.

    `draft.expected_last_update_id` guards against two editors announcing the same thing: if
    another update was published since the composer opened, UpdateConflict."""
    incident = _lock_unchanged(draft)
    decision = _decide(actor, incident, draft)
    update = _create_update(actor, incident, draft, decision)
    before = (incident.status, incident.is_public, incident.resolved_at)
    _make_public(incident, decision)
    _audit_publication(actor, update, draft, decision)
    send_on_commit(update_published, update=update)
    if (incident.status, incident.is_public, incident.resolved_at) != before:
        send_on_commit(incident_changed, incident=incident)
    return update


def _lock_unchanged(draft: UpdateDraft) -> Incident:
    """The incident, locked until commit; refused if dismissed or if someone else published
    since the composer opened."""
    locked = (
        Incident.objects.select_for_update().select_related("service").get(pk=draft.incident.pk)
    )
    if locked.status == Status.DISMISSED:
        raise UpdateError("dismissed")
    if draft.expected_last_update_id is not None:
        latest = locked.updates.order_by("-published_at", "-id").first()
        if (latest.pk if latest else 0) != int(draft.expected_last_update_id):
            raise UpdateConflict(latest)
    return locked


def _decide(actor: Actor, incident: Incident, draft: UpdateDraft) -> _Decision:
    """Apply every rule in the order editors meet them; raises the first one refused."""
    correction_note = clean_text(draft.correction_note, max_length=300, multiline=False)
    status = _status(incident, draft, correction_note)
    language = draft.language or incident.language
    if language not in dict(settings.LANGUAGES):
        raise UpdateError("bad_language")
    basis = verified_basis(incident)
    check = confirmation_check(basis=basis)
    override_reason = clean_text(draft.override_reason, max_length=500, multiline=False)
    ruling = confirmation_ruling(
        actor=actor, check=check, confirmed=draft.confirmed, override_reason=override_reason
    )
    if not ruling.allowed:
        raise ConfirmationBlocked(check, reason_missing=ruling.reason_missing)
    now = timezone.now()
    notify = draft.notify
    if notify is None:
        notify = draft.corrects is None and notify_default(incident=incident, status=status)
    return _Decision(
        status=status,
        next_update_by=_next_update_by(draft, status=status, now=now),
        language=language,
        correction_note=correction_note,
        override_reason=override_reason if ruling.overridden else "",
        overridden=ruling.overridden,
        notify=notify,
        basis=basis,
        check=check,
        text=_text(incident, draft, language=language, basis=basis, now=now),
        now=now,
    )


def _next_update_by(draft: UpdateDraft, *, status: str, now: datetime) -> datetime | None:
    minutes = draft.next_update_minutes
    if minutes is None:
        minutes = next_update_default_minutes(status=status)
    if not 0 <= minutes <= NEXT_UPDATE_MAX_MINUTES:
        raise UpdateError("bad_next_update")
    return now + timedelta(minutes=minutes) if minutes else None


def _text(
    incident: Incident, draft: UpdateDraft, *, language: str, basis: VerifiedBasis, now: datetime
) -> Draft:
    """The text as published: placeholders filled at `now`, cleaned, title and message kept."""
    text = draft_render(
        incident=incident,
        language=language,
        title=draft.title,
        message=draft.message,
        advice=draft.advice,
        call_to_action=draft.call_to_action,
        now=now,
        basis=basis,
    )
    text_ready_check(text)
    if not text.title:
        raise UpdateError("title_required")
    if not text.message:
        raise UpdateError("message_required")
    return text


def text_ready_check(text: Draft, *, field_prefix: str = "") -> None:
    """TextNotReady if a filled field still holds a placeholder nothing fills or an editor's
    marker. The one check for an update and for its translation (`field_prefix` names the
    translation's form fields)."""
    for name in ("title", "message", "advice", "call_to_action"):
        filled = getattr(text, name)
        leftovers = [f"{{{left}}}" for left in placeholders_left(filled)] + markers_left(filled)
        if leftovers:
            raise TextNotReady(field_prefix + name, leftovers)


def _status(incident: Incident, draft: UpdateDraft, correction_note: str) -> str:
    """The status the update announces. A correction fixes what was said; it does not move
    the incident on, so it keeps the incident's status."""
    current = incident.status if incident.status in PUBLISHABLE_STATUSES else None
    if draft.corrects is not None:
        if draft.corrects.incident_id != incident.pk:
            raise UpdateError("correction_of_other_incident")
        if not correction_note:
            raise UpdateError("correction_note_required")
        status = current or draft.corrects.status
    elif correction_note:
        raise UpdateError("correction_note_without_correction")
    elif draft.status is not None:
        status = draft.status
    else:
        status = current or Status.INVESTIGATING
    if status not in PUBLISHABLE_STATUSES:
        raise UpdateError("bad_status")
    return status


def _create_update(
    actor: Actor, incident: Incident, draft: UpdateDraft, decision: _Decision
) -> IncidentUpdate:
    text = decision.text
    update = IncidentUpdate.objects.create(
        incident=incident,
        status=decision.status,
        impact=incident.impact,
        is_confirmed=draft.confirmed,
        title=text.title,
        message=text.message,
        advice=text.advice,
        call_to_action=text.call_to_action,
        sources_text=text.sources_text[:500],
        language=decision.language,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        published_at=decision.now,
        notify=decision.notify,
        next_update_by=decision.next_update_by,
        corrects=draft.corrects,
        correction_note=decision.correction_note,
        confirmation_override_reason=decision.override_reason,
    )
    # The update cites every item verified so far: what it rests on stays traceable.
    cited = Evidence.objects.filter(incident=incident, state=Evidence.State.VERIFIED)
    update.evidence.set(list(cited.values_list("pk", flat=True)))
    return update


def _make_public(incident: Incident, decision: _Decision) -> None:
    if incident.status != decision.status:
        apply_status(incident, decision.status, decision.now)
    incident.is_public = True
    incident.version += 1
    incident.save()


def _audit_publication(
    actor: Actor, update: IncidentUpdate, draft: UpdateDraft, decision: _Decision
) -> None:
    audit_record(
        actor=actor,
        action="update.correct" if draft.corrects else "update.publish",
        target=update,
        details={
            "incident": update.incident_id,
            "status": decision.status,
            "confirmed": draft.confirmed,
            "notify": decision.notify,
            "next_update_by": decision.next_update_by.isoformat()
            if decision.next_update_by
            else None,
            "sources": [source.pk for source in decision.basis.sources],
            "verified_items": decision.basis.verified_count,
            "template": draft.template.slug if draft.template else "",
            "corrects": draft.corrects.pk if draft.corrects else None,
            "correction_note": decision.correction_note,
        },
    )
    if decision.overridden:
        audit_record(
            actor=actor,
            action="update.confirmation_override",
            target=update,
            details={
                "reason": decision.override_reason,
                "independent_sources": list(decision.check.independent_sources),
                "required": decision.check.required,
            },
        )


__all__ = [
    "PUBLISHABLE_STATUSES",
    "ConfirmationBlocked",
    "Draft",
    "UpdateConflict",
    "UpdateDraft",
    "TextNotReady",
    "UpdateError",
    "draft_render",
    "format_since",
    "format_time",
    "NEXT_UPDATE_DEFAULT_MINUTES",
    "NEXT_UPDATE_MAX_MINUTES",
    "next_update_default_minutes",
    "notify_default",
    "sources_list",
    "sources_sentence",
    "template_render",
    "update_publish",
]
