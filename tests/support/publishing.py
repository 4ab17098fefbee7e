"""Publishing the way the newsroom does: the row, then the signal once the transaction commits
(inside a test's own transaction, the on-commit callbacks run when the block ends)."""

from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from incidents import events
from incidents.models import Incident
from tests.factories import make_update


def publish_update(incident: Incident, *, title: str, message: str = "", at=None, **extra):
    """Publish like the newsroom: the update row, then the signal once the transaction commits.
    (Inside a test's own transaction, the on-commit callbacks run when the block ends.)"""
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        update = make_update(
            incident=incident,
            status=extra.pop("status", incident.status),
            title=title,
            message=message or title,
            language=incident.language,
            published_at=at or timezone.now(),
            **extra,
        )
        events.send_on_commit(events.update_published, update=update)
    return update


def change_incident(incident: Incident, **fields) -> Incident:
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        for name, value in fields.items():
            setattr(incident, name, value)
        incident.version += 1
        incident.save()
        events.send_on_commit(events.incident_changed, incident=incident)
    return incident
