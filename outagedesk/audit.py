"""The one way to write to the audit log; every state-changing service calls audit_record."""

from typing import Any

from django.contrib.auth.models import User
from django.db import models

from outagedesk.models import AuditEvent

# Who performs a write: the signed-in staff member (role-checked views pass request.user), or None
# for the system (workers, the detector, management commands).
type Actor = User | None


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event. `actor` is a user or None (the system: workers, the detector)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user else "system",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        details=details or {},
    )
