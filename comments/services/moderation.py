"""Moderator actions on comments: approve, reject, spam, ban, reply, each one undoable.

Every action stores each comment's moderation fields before and after (ModerationAction), so undo
restores exactly what was there, and only for comments nobody has touched since.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from comments.conf import setting
from comments.models import Ban, CannedReply, Comment, ModerationAction, OfficialReply
from comments.selectors import canned_reply_fill, faq_entry_asking
from comments.services.submission import bans_changed
from incidents.models import FAQEntry
from incidents.services.faq import faq_publish_answer
from outagedesk.audit import Actor, audit_record
from outagedesk.lib.sanitize import clean_text

REJECTION_REASONS = ("offensive", "spam", "off-topic", "misinformation", "other")
_STATE_FIELDS = (
    "status",
    "needs_review",
    "reported_at",
    "rejection_reason",
    "moderated_at",
    "moderated_by",
)


class ModerationError(ValueError):
    """A moderator asked for something that cannot be done; the message says why."""


def _snapshot(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "status": comment.status,
        "needs_review": comment.needs_review,
        "reported_at": comment.reported_at.isoformat() if comment.reported_at else None,
        "rejection_reason": comment.rejection_reason,
        "moderated_at": comment.moderated_at.isoformat() if comment.moderated_at else None,
        "moderated_by": comment.moderated_by_id,
    }


def _restore(comment: Comment, state: dict[str, Any]) -> None:
    comment.status = state["status"]
    comment.needs_review = state["needs_review"]
    comment.reported_at = parse_datetime(state["reported_at"]) if state["reported_at"] else None
    comment.rejection_reason = state["rejection_reason"]
    comment.moderated_at = parse_datetime(state["moderated_at"]) if state["moderated_at"] else None
    comment.moderated_by_id = state["moderated_by"]


def _ids(comments: Iterable[Comment | int]) -> list[int]:
    return sorted({c if isinstance(c, int) else c.pk for c in comments})


def _apply(
    *,
    actor: Actor,
    kind: str,
    comment_ids: list[int],
    status: str,
    rejection_reason: str = "",
    details: dict[str, Any] | None = None,
) -> tuple[ModerationAction, list[Comment]]:
    """Set the moderation state of the comments, record the action for undo, audit each one."""
    if not comment_ids:
        raise ModerationError("No comment selected.")
    now = timezone.now()
    comments = list(Comment.objects.select_for_update().filter(pk__in=comment_ids).order_by("pk"))
    if not comments:
        raise ModerationError("These comments no longer exist.")
    before = [_snapshot(c) for c in comments]
    for comment in comments:
        comment.status = status
        comment.needs_review = False
        comment.reported_at = None  # acting on a reported comment settles its reports
        comment.rejection_reason = rejection_reason
        comment.moderated_at = now
        comment.moderated_by = actor
    Comment.objects.bulk_update(comments, list(_STATE_FIELDS))
    action = ModerationAction.objects.create(
        actor=actor, kind=kind, before=before, after=[_snapshot(c) for c in comments]
    )
    for comment, previous in zip(comments, before, strict=True):
        audit_record(
            actor=actor,
            action=f"comment.{kind}",
            target=comment,
            details={
                "from": previous["status"],
                "to": status,
                "reason": rejection_reason,
                "moderation_action": action.pk,
                **(details or {}),
            },
        )
    return action, comments


@transaction.atomic
def comments_approve(*, actor: Actor, comments: Iterable[Comment | int]) -> ModerationAction:
    action, _ = _apply(
        actor=actor,
        kind=ModerationAction.Kind.APPROVE,
        comment_ids=_ids(comments),
        status=Comment.Status.APPROVED,
    )
    return action


@transaction.atomic
def comments_reject(
    *, actor: Actor, comments: Iterable[Comment | int], reason: str
) -> ModerationAction:
    if reason not in REJECTION_REASONS:
        raise ModerationError(f"Unknown rejection reason {reason!r}.")
    action, _ = _apply(
        actor=actor,
        kind=ModerationAction.Kind.REJECT,
        comment_ids=_ids(comments),
        status=Comment.Status.REJECTED,
        rejection_reason=reason,
    )
    return action


@transaction.atomic
def comments_mark_spam(*, actor: Actor, comments: Iterable[Comment | int]) -> ModerationAction:
    action, _ = _apply(
        actor=actor,
        kind=ModerationAction.Kind.SPAM,
        comment_ids=_ids(comments),
        status=Comment.Status.SPAM,
        rejection_reason="spam",
    )
    return action


@transaction.atomic
def commenters_ban(
    *, actor: Actor, comments: Iterable[Comment | int], reason: str = "offensive"
) -> ModerationAction:
    """Ban the authors (hashed address and email) and reject their comments awaiting review."""
    if reason not in REJECTION_REASONS:
        raise ModerationError(f"Unknown rejection reason {reason!r}.")
    targets = list(Comment.objects.filter(pk__in=_ids(comments)))
    if not targets:
        raise ModerationError("No comment selected.")
    authors = {(c.address_hash, c.email_hash) for c in targets}
    bans = [
        Ban.objects.create(
            address_hash=address_hash, email_hash=email_hash, reason=reason, created_by=actor
        )
        for address_hash, email_hash in sorted(authors)
    ]
    for ban in bans:
        audit_record(actor=actor, action="ban.create", target=ban, details={"reason": reason})
    waiting = Comment.objects.filter(needs_review=True).filter(
        address_hash__in=[a for a, _ in authors if a]
    )
    email_hashes = [e for _, e in authors if e]
    ids = set(_ids(targets)) | set(waiting.values_list("pk", flat=True))
    if email_hashes:
        ids |= set(
            Comment.objects.filter(needs_review=True, email_hash__in=email_hashes).values_list(
                "pk", flat=True
            )
        )
    action, _ = _apply(
        actor=actor,
        kind=ModerationAction.Kind.BAN,
        comment_ids=sorted(ids),
        status=Comment.Status.REJECTED,
        rejection_reason=reason,
        details={"bans": [b.pk for b in bans]},
    )
    action.ban_ids = [b.pk for b in bans]
    action.save(update_fields=["ban_ids"])
    return action


@transaction.atomic
def comment_reply(
    *, actor: Actor, comment: Comment, canned_reply: CannedReply | None = None, text: str = ""
) -> ModerationAction:
    """Approve the comment and post an official reply under it: the moderator's own text, or the
    canned reply with its placeholders filled from the incident."""
    text = clean_text(text, max_length=4000)
    if not text:
        if canned_reply is None:
            raise ModerationError("Choose a canned reply or write an answer.")
        text = canned_reply_fill(reply=canned_reply, incident=comment.incident)
    action, _ = _apply(
        actor=actor,
        kind=ModerationAction.Kind.REPLY,
        comment_ids=[comment.pk],
        status=Comment.Status.APPROVED,
        details={"canned_reply": canned_reply.pk if canned_reply else None},
    )
    reply = OfficialReply.objects.create(
        comment=comment, text=text, canned_reply=canned_reply, author=actor
    )
    if canned_reply is not None:
        CannedReply.objects.filter(pk=canned_reply.pk).update(use_count=F("use_count") + 1)
    action.reply = reply
    action.canned_reply = canned_reply
    action.save(update_fields=["reply", "canned_reply"])
    audit_record(
        actor=actor,
        action="comment.official_reply",
        target=reply,
        details={"comment": comment.pk, "canned_reply": canned_reply.pk if canned_reply else None},
    )
    return action


@dataclass
class UndoResult:
    action: ModerationAction | None
    restored: int = 0
    skipped: int = 0


@transaction.atomic
def moderation_undo(*, actor: Actor) -> UndoResult:
    """Undo this moderator's latest action not yet undone (repeat to go further back)."""
    since = timezone.now() - timedelta(hours=setting("MODERATION_UNDO_HOURS"))
    action = (
        ModerationAction.objects.select_for_update()
        .filter(actor=actor, undone_at__isnull=True, created_at__gte=since)
        .order_by("-created_at", "-id")
        .first()
    )
    if action is None:
        return UndoResult(action=None)
    after = {state["id"]: state for state in action.after}
    before = {state["id"]: state for state in action.before}
    comments = list(Comment.objects.select_for_update().filter(pk__in=list(after)))
    restored = []
    for comment in comments:
        if _snapshot(comment) != after[comment.pk]:
            continue  # someone acted on it since: leave their decision alone
        _restore(comment, before[comment.pk])
        restored.append(comment)
    Comment.objects.bulk_update(restored, list(_STATE_FIELDS))
    if action.reply_id:
        OfficialReply.objects.filter(pk=action.reply_id).delete()
    if action.canned_reply_id:
        CannedReply.objects.filter(pk=action.canned_reply_id).update(
            use_count=Greatest(F("use_count") - 1, 0)
        )
    now = timezone.now()
    if action.ban_ids:
        Ban.objects.filter(pk__in=action.ban_ids, lifted_at__isnull=True).update(lifted_at=now)
        bans_changed()  # a queryset update sends no model signal
    action.undone_at = now
    action.save(update_fields=["undone_at"])
    for comment in restored:
        audit_record(
            actor=actor,
            action="comment.undo",
            target=comment,
            details={"moderation_action": action.pk, "undid": action.kind},
        )
    for ban in Ban.objects.filter(pk__in=action.ban_ids):
        audit_record(
            actor=actor, action="ban.lift", target=ban, details={"moderation_action": action.pk}
        )
    return UndoResult(action=action, restored=len(restored), skipped=len(after) - len(restored))


def comment_promote_to_faq(
    *, actor: Actor, comment: Comment, question: str, answer: str
) -> FAQEntry:
    """Publish a reader's question with its official answer in the incident's FAQ, through the
    incidents' FAQ service (which announces the change); the entry is updated when the FAQ
    already asks the question. Raises incidents.services.faq.FAQError when either is empty."""
    incident = comment.incident
    language = comment.language or incident.language
    return faq_publish_answer(
        actor=actor,
        incident=incident,
        question=question,
        answer=answer,
        language=language,
        entry=faq_entry_asking(incident=incident, language=language, question=question),
        details={"from_comment": comment.pk},
    )
