"""A reader's comment: sanitised, checked against bans, auto-moderated, stored, audited."""

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from comments.conf import setting
from comments.models import Ban, Comment, CommentReport
from comments.moderation import pipeline
from comments.moderation.text import detect_language, fingerprint
from outagedesk.audit import audit_record
from outagedesk.lib.sanitize import clean_text
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
    name = clean_text(name, max_length=setting("COMMENT_NAME_MAX_LENGTH"), multiline=False)
    text = clean_text(text, max_length=setting("COMMENT_TEXT_MAX_LENGTH"))
    email = clean_text(email, max_length=254, multiline=False)
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


def comment_report(*, comment: Comment, address: str) -> bool:
    """A reader reports an approved comment; False when this reader already reported it."""
    address_hash = hash_identifier(address)
    try:
        with transaction.atomic():
            CommentReport.objects.create(comment=comment, address_hash=address_hash)
            Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
            Comment.objects.filter(pk=comment.pk, reported_at__isnull=True).update(
                reported_at=timezone.now()
            )
            comment.refresh_from_db()
            hidden = False
            if comment.status == Comment.Status.APPROVED and comment.report_count >= setting(
                "COMMENT_REPORTS_TO_HIDE"
            ):
                # Enough readers object: hide it until a moderator decides.
                comment.status = Comment.Status.PENDING
                comment.needs_review = True
                comment.reasons = [
                    *comment.reasons,
                    {"code": "reports", "decision": "hold", "detail": str(comment.report_count)},
                ]
                comment.save(update_fields=["status", "needs_review", "reasons"])
                hidden = True
            audit_record(
                actor=None,
                action="comment.report",
                target=comment,
                details={"reports": comment.report_count, "hidden": hidden},
            )
    except IntegrityError:
        return False
    return True
