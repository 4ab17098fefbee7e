"""Editors verify or reject evidence: who, when and why is kept on the item and in the audit log.

Verifying an item from an incident's workspace attaches it to that incident; the two-source rule
(`incidents.services.confirmation`) counts only verified items of the incident.
"""

from django.db import transaction
from django.utils import timezone

from incidents.models import Evidence, Incident
from outagedesk.audit import Actor, audit_record
from outagedesk.lib.sanitize import clean_text


class VerificationError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _decide(
    *, actor: Actor, evidence: Evidence, incident: Incident | None, note: str, state: str
) -> Evidence:
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().select_related("source").get(pk=evidence.pk)
        if incident is not None:
            if locked.service_id != incident.service_id:
                raise VerificationError("other_service")
            if locked.incident_id not in (None, incident.pk):
                raise VerificationError("other_incident")
            locked.incident = incident
        previous = locked.state
        locked.state = state
        locked.verified_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.verified_at = timezone.now()
        locked.verification_note = clean_text(note, max_length=500, multiline=False)
        locked.save(
            update_fields=["state", "verified_by", "verified_at", "verification_note", "incident"]
        )
        audit_record(
            actor=actor,
            action=f"evidence.{'verify' if state == Evidence.State.VERIFIED else 'reject'}",
            target=locked,
            details={
                "previous": previous,
                "note": locked.verification_note,
                "incident": locked.incident_id,
                "source": locked.source_id,
            },
        )
    return locked


def evidence_verify(
    *, actor: Actor, evidence: Evidence, incident: Incident | None = None, note: str = ""
) -> Evidence:
    """Mark the item verified (an editor checked it is genuine and relevant)."""
    return _decide(
        actor=actor, evidence=evidence, incident=incident, note=note, state=Evidence.State.VERIFIED
    )


def evidence_reject(
    *, actor: Actor, evidence: Evidence, incident: Incident | None = None, note: str = ""
) -> Evidence:
    """Mark the item rejected (fake, joke, unrelated, or another service's problem)."""
    return _decide(
        actor=actor, evidence=evidence, incident=incident, note=note, state=Evidence.State.REJECTED
    )
