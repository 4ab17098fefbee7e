"""A reader's comment: sanitised, checked against bans, auto-moderated, stored, audited."""

from django.db import transaction
from django.db.models import Q

from comments.conf import setting
from comments.models import Ban, Comment
from comments.moderation import pipeline
from comments.moderation.text import detect_language, fingerprint
from comments.sanitize import plain_text
from outagedesk.audit import audit_record
from outagedesk.ratelimit import hash_identifier


class CommenterBanned(Exception):
    """The reader's address or email is banned: nothing is stored."""


def active_ban_exists(*, address_hash: str, email_hash: str = "") -> bool:
    match = Q(address_hash=address_hash) if address_hash else Q(pk__in=[])
    if email_hash:
        match |= Q(email_hash=email_hash)
    return Ban.objects.filter(match, lifted_at__isnull=True).exists()


def comment_submit(
    *,
    incident,
    name: str,
    email: str,
    text: str,
    address: str,
    user_agent: str = "",
    referrer: str = "",
    fill_seconds: float | None = None,
) -> Comment:
    """Store a reader's comment with the auto-moderation decision. Raises CommenterBanned."""
    name = plain_text(name, max_length=setting("COMMENT_NAME_MAX_LENGTH"), multiline=False)
    text = plain_text(text, max_length=setting("COMMENT_TEXT_MAX_LENGTH"))
    email = plain_text(email, max_length=254, multiline=False)
    address_hash = hash_identifier(address)
    email_hash = hash_identifier(email) if email else ""
    if active_ban_exists(address_hash=address_hash, email_hash=email_hash):
        raise CommenterBanned
    language = detect_language(text, default=incident.language)
    submission = pipeline.Submission(
        incident=incident,
        name=name,
        email=email,
        text=text,
        address_hash=address_hash,
        email_hash=email_hash,
        fingerprint=fingerprint(text),
        language=language,
        fill_seconds=fill_seconds,
        raw_address=address,
        user_agent=user_agent,
        referrer=referrer,
    )
    decision = pipeline.moderate(submission)
    if decision.verdict == pipeline.REJECT:
        status, needs_review = Comment.Status.REJECTED, False
    elif decision.verdict == pipeline.SPAM:
        status, needs_review = Comment.Status.SPAM, False
    elif decision.verdict == pipeline.HOLD or not incident.post_moderation:
        status, needs_review = Comment.Status.PENDING, True
    else:
        # Post-moderation: shown at once, still waiting for a moderator's look.
        status, needs_review = Comment.Status.APPROVED, True
    with transaction.atomic():
        comment = Comment.objects.create(
            incident=incident,
            name=name,
            email=email,
            text=text,
            status=status,
            needs_review=needs_review,
            reasons=decision.reasons,
            spam_score=decision.spam_score,
            rejection_reason=decision.rejection_reason if decision.terminal else "",
            address_hash=address_hash,
            email_hash=email_hash,
            language=language,
            fingerprint=submission.fingerprint,
        )
        audit_record(
            actor=None,
            action="comment.submit",
            target=comment,
            details={
                "incident": incident.slug,
                "status": status,
                "reasons": [r["code"] for r in decision.reasons],
                "spam_score": decision.spam_score,
            },
        )
    return comment
