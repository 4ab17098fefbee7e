"""Composing and publishing timestamped updates.

- Templates and editors write placeholders ({service}, {components}, {regions}, {since}, {time},
  {sources}, {alternatives}, {official_links}); they are filled from the incident at publish time,
  so {time} is the moment of publication. Unknown braces are left as typed.
- The sources sentence ("Selon Downdetector et le compte officiel de WhatsApp") is built from the
  incident's verified evidence, never typed, so attribution follows what editors checked.
- The two-source rule is enforced here, not only in the form: an update states a confirmed
  outage only with CONFIRMATION_MIN_SOURCES verified items from independent owners, or one
  verified item from an official source. An admin may override with a written reason (audited).
- Updates are append-only: a correction is a new update pointing at the one it corrects.

The phrases themselves (per update language) live in `incidents.services.wording`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from incidents.events import incident_changed, send_on_commit, update_published
from incidents.models import Evidence, Incident, IncidentUpdate, ResponseTemplate, Source
from incidents.selectors.sources import source_is_official_for
from incidents.services.incidents import _apply_status

# Re-exported: the wording helpers are part of this module's public surface.
from incidents.services.wording import (
    PLACEHOLDERS,
    TIER_ORDER,
    fill_placeholders,
    format_since,
    format_time,
    placeholder_values,
    sources_list,
    sources_sentence,
)
from outagedesk.audit import audit_record
from outagedesk.lib.sanitize import clean_text
from outagedesk.roles import ADMIN, has_role

Status = Incident.Status
PUBLISHABLE_STATUSES = (
    Status.INVESTIGATING,
    Status.IDENTIFIED,
    Status.MONITORING,
    Status.RESOLVED,
)


@dataclass(frozen=True)
class VerifiedBasis:
    """What an update rests on: the distinct sources of the incident's verified evidence
    (best tier first), and how many verified items there are. Loaded in one query whatever the
    number of items, so the composer stays fast on a big incident."""

    sources: tuple[Source, ...] = ()
    verified_count: int = 0


def verified_basis(incident: Incident) -> VerifiedBasis:
    sources = list(
        Source.objects.filter(evidence__incident=incident, evidence__state=Evidence.State.VERIFIED)
        .select_related("service")
        .annotate(verified_items=Count("evidence"))
    )
    return basis_from_sources(sources, sum(s.verified_items for s in sources))


def basis_from_evidence(evidence: Iterable[Evidence]) -> VerifiedBasis:
    """The same basis computed from evidence already in memory (unverified items ignored)."""
    sources: dict[int, Source] = {}
    count = 0
    for item in evidence:
        if item.state == Evidence.State.VERIFIED:
            sources.setdefault(item.source_id, item.source)
            count += 1
    return basis_from_sources(list(sources.values()), count)


def basis_from_sources(sources: list[Source], verified_count: int) -> VerifiedBasis:
    ordered = sorted(sources, key=lambda s: (TIER_ORDER.get(s.tier, 99), s.name, s.pk))
    return VerifiedBasis(sources=tuple(ordered), verified_count=verified_count)


def _owner_key(source: Source) -> str:
    # Sources with no recorded owner all count as one unknown owner: independence must be
    # shown, not assumed.
    return (source.owner or "").strip().lower()


@dataclass(frozen=True)
class ConfirmationCheck:
    """Whether the verified evidence lets an update state a confirmed outage, and why not."""

    required: int
    independent_sources: tuple[str, ...] = ()  # one source name per independent owner
    official_sources: tuple[str, ...] = ()
    verified_count: int = 0

    @property
    def independent_count(self) -> int:
        return len(self.independent_sources)

    @property
    def has_official(self) -> bool:
        return bool(self.official_sources)

    @property
    def ok(self) -> bool:
        return self.has_official or self.independent_count >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.independent_count)


def confirmation_check(*, basis: VerifiedBasis) -> ConfirmationCheck:
    """Two items are independent only when both their Source and its owner differ: counting
    distinct owners among the verified sources gives exactly that."""
    owners: dict[str, str] = {}
    official: list[str] = []
    for source in basis.sources:
        owners.setdefault(_owner_key(source), source.name)
        if source_is_official_for(source, source.service) and source.name not in official:
            official.append(source.name)
    return ConfirmationCheck(
        required=settings.CONFIRMATION_MIN_SOURCES,
        independent_sources=tuple(owners.values()),
        official_sources=tuple(official),
        verified_count=basis.verified_count,
    )


# --- Drafts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
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
        title=clean_text(fill_placeholders(title, values), max_length=200, multiline=False),
        message=clean_text(fill_placeholders(message, values), max_length=5000),
        advice=clean_text(fill_placeholders(advice, values), max_length=2000),
        call_to_action=clean_text(
            fill_placeholders(call_to_action, values), max_length=300, multiline=False
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


def notify_default(*, incident: Incident, status: str) -> bool:
    """Subscribers hear of a new incident, a status change and the resolution by default;
    smaller follow-ups do not wake them up."""
    if status == Status.RESOLVED or status != incident.status:
        return True
    return not incident.updates.exists()


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


class UpdateConflict(UpdateError):
    """Someone published another update after this composer was opened."""

    def __init__(self, latest: IncidentUpdate | None):
        super().__init__("conflict", "another update was published meanwhile")
        self.latest = latest


@transaction.atomic
def update_publish(
    *,
    actor,
    incident: Incident,
    title: str,
    message: str,
    advice: str = "",
    call_to_action: str = "",
    status: str | None = None,
    language: str | None = None,
    confirmed: bool = False,
    notify: bool | None = None,
    override_reason: str = "",
    corrects: IncidentUpdate | None = None,
    correction_note: str = "",
    expected_last_update_id: int | None = None,
    template: ResponseTemplate | None = None,
) -> IncidentUpdate:
    """Publish an update: the incident becomes public and takes the update's status.

    `expected_last_update_id` (0 for "none yet") guards against two editors announcing the
    same thing: if another update was published since the composer opened, UpdateConflict."""
    locked = Incident.objects.select_for_update().select_related("service").get(pk=incident.pk)
    if locked.status == Status.DISMISSED:
        raise UpdateError("dismissed")
    latest = locked.updates.order_by("-published_at", "-id").first()
    if expected_last_update_id is not None and (latest.pk if latest else 0) != int(
        expected_last_update_id
    ):
        raise UpdateConflict(latest)

    correction_note = clean_text(correction_note, max_length=300, multiline=False)
    if corrects is not None:
        if corrects.incident_id != locked.pk:
            raise UpdateError("correction_of_other_incident")
        if not correction_note:
            raise UpdateError("correction_note_required")
        # A correction fixes what was said; it does not move the incident on.
        status = locked.status if locked.status in PUBLISHABLE_STATUSES else corrects.status
    elif correction_note:
        raise UpdateError("correction_note_without_correction")
    if status is None:
        status = locked.status if locked.status in PUBLISHABLE_STATUSES else Status.INVESTIGATING
    if status not in PUBLISHABLE_STATUSES:
        raise UpdateError("bad_status")
    language = language or locked.language
    if language not in dict(settings.LANGUAGES):
        raise UpdateError("bad_language")

    basis = verified_basis(locked)
    check = confirmation_check(basis=basis)
    override_reason = clean_text(override_reason, max_length=500, multiline=False)
    overridden = False
    if confirmed and not check.ok:
        is_admin = has_role(actor, ADMIN)
        if not (is_admin and override_reason):
            raise ConfirmationBlocked(check, reason_missing=is_admin)
        overridden = True

    now = timezone.now()
    draft = draft_render(
        incident=locked,
        language=language,
        title=title,
        message=message,
        advice=advice,
        call_to_action=call_to_action,
        now=now,
        basis=basis,
    )
    if not draft.title:
        raise UpdateError("title_required")
    if not draft.message:
        raise UpdateError("message_required")
    if notify is None:
        notify = corrects is None and notify_default(incident=locked, status=status)

    update = IncidentUpdate.objects.create(
        incident=locked,
        status=status,
        is_confirmed=confirmed,
        title=draft.title,
        message=draft.message,
        advice=draft.advice,
        call_to_action=draft.call_to_action,
        sources_text=draft.sources_text[:500],
        language=language,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        published_at=now,
        notify=notify,
        corrects=corrects,
        correction_note=correction_note,
        confirmation_override_reason=override_reason if overridden else "",
    )
    cited = Evidence.objects.filter(incident=locked, state=Evidence.State.VERIFIED)
    update.evidence.set(list(cited.values_list("pk", flat=True)))

    before = (locked.status, locked.is_public, locked.resolved_at)
    if locked.status != status:
        _apply_status(locked, status, now)
    locked.is_public = True
    locked.version += 1
    locked.save()

    audit_record(
        actor=actor,
        action="update.correct" if corrects else "update.publish",
        target=update,
        details={
            "incident": locked.pk,
            "status": status,
            "confirmed": confirmed,
            "notify": notify,
            "sources": [source.pk for source in basis.sources],
            "verified_items": basis.verified_count,
            "template": template.slug if template else "",
            "corrects": corrects.pk if corrects else None,
            "correction_note": correction_note,
        },
    )
    if overridden:
        audit_record(
            actor=actor,
            action="update.confirmation_override",
            target=update,
            details={
                "reason": override_reason,
                "independent_sources": list(check.independent_sources),
                "required": check.required,
            },
        )
    send_on_commit(update_published, update=update)
    if (locked.status, locked.is_public, locked.resolved_at) != before:
        send_on_commit(incident_changed, incident=locked)
    return update


__all__ = [
    "PLACEHOLDERS",
    "PUBLISHABLE_STATUSES",
    "ConfirmationBlocked",
    "ConfirmationCheck",
    "Draft",
    "UpdateConflict",
    "UpdateError",
    "VerifiedBasis",
    "basis_from_evidence",
    "confirmation_check",
    "draft_render",
    "fill_placeholders",
    "format_since",
    "format_time",
    "notify_default",
    "sources_list",
    "sources_sentence",
    "template_render",
    "update_publish",
    "verified_basis",
]
