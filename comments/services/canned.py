"""Saving canned replies from the moderators' form, sanitised and audited."""

from typing import Any

from django.db import transaction

from comments.models import CannedReply
from outagedesk.audit import Actor, audit_record
from outagedesk.lib.sanitize import clean_text

FIELD_LIMITS = {"category": 60, "question": 300, "keywords": 2000, "text": 4000}


@transaction.atomic
def canned_reply_save(
    *, actor: Actor, data: dict[str, Any], reply: CannedReply | None = None
) -> CannedReply:
    """Create or update a canned reply from the moderators' form, every text field sanitised."""
    created = reply is None
    reply = reply or CannedReply()
    for name, limit in FIELD_LIMITS.items():
        multiline = name in ("keywords", "text")
        setattr(reply, name, clean_text(data.get(name, ""), max_length=limit, multiline=multiline))
    reply.language = data["language"]
    reply.is_active = bool(data.get("is_active", True))
    reply.save()
    audit_record(
        actor=actor,
        action="canned_reply.create" if created else "canned_reply.update",
        target=reply,
        details={"category": reply.category, "language": reply.language},
    )
    return reply
