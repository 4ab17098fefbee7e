"""A reader's comment: sanitised, checked against bans, stored, then auto-moderated, audited.

Two steps, so a crowd is heard: `comment_receive` runs in the request (sanitise, ban check, one
INSERT) and leaves the comment pending with `awaiting_checks`; `comment_auto_moderate` runs the
moderation pipeline (word lists, repeats, spam score, Akismet over the network…) on the worker
and sets the final status. Until then the reader sees "awaiting moderation" and no moderator
queue lists it. `comments_auto_moderate_stale` is the sweep for checks whose task was lost.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comments.conf import setting
from comments.models import Ban, Comment
from comments.moderation import pipeline
from comments.moderation.text import detect_language, fingerprint
from incidents.models import Incident
from outagedesk.audit import audit_record
from outagedesk.lib.sanitize import clean_text
from outagedesk.ratelimit import hash_identifier


class CommenterBanned(Exception):
    """The reader's address or email is banned: nothing is stored."""


@dataclass(frozen=True)
class RequestContext:
    """What only the request knew about the reader, for the checks that run later. Kept out of
    the database: Akismet needs the address in clear, the comment stores only its hash."""

    address: str = ""
    user_agent: str = ""
    referrer: str = ""
    fill_seconds: float | None = None


BANNED_HASHES_KEY = "comments:banned-hashes"
# Above this many active bans the set is not cached (it would weigh on every comment): each
# comment asks the database instead.
BANNED_HASHES_CACHE_MAX = 500
BANNED_HASHES_SECONDS = 300


def _banned_hashes() -> frozenset[str] | None:
    """The address and email hashes of every active ban, from the cache (every comment of a
    crisis asks); None when there are too many to cache."""
    hashes = cache.get(BANNED_HASHES_KEY)
    if isinstance(hashes, frozenset):
        return hashes
    rows = list(
        Ban.objects.filter(lifted_at__isnull=True).values_list("address_hash", "email_hash")[
            : BANNED_HASHES_CACHE_MAX + 1
        ]
    )
    if len(rows) > BANNED_HASHES_CACHE_MAX:
        return None
    hashes = frozenset(value for pair in rows for value in pair if value)
    cache.set(BANNED_HASHES_KEY, hashes, BANNED_HASHES_SECONDS)
    return hashes


def bans_changed() -> None:
    """A ban was created, lifted or deleted: the next comment reads them again. Now, and once
    the change is committed, so a comment read in between does not cache the old state."""
    cache.delete(BANNED_HASHES_KEY)
    transaction.on_commit(lambda: cache.delete(BANNED_HASHES_KEY))


def active_ban_exists(*, address_hash: str, email_hash: str = "") -> bool:
    banned = _banned_hashes()
    if banned is not None:
        return address_hash in banned or bool(email_hash and email_hash in banned)
    match = Q(address_hash=address_hash) if address_hash else Q(pk__in=[])
    if email_hash:
        match |= Q(email_hash=email_hash)
    return Ban.objects.filter(match, lifted_at__isnull=True).exists()


def comment_receive(
    *, incident: Incident, name: str, email: str, text: str, address: str
) -> Comment:
    """Store a reader's comment, pending its automatic checks. Raises CommenterBanned."""
    name = clean_text(name, max_length=setting("COMMENT_NAME_MAX_LENGTH"), multiline=False)
    text = clean_text(text, max_length=setting("COMMENT_TEXT_MAX_LENGTH"))
    email = clean_text(email, max_length=254, multiline=False)
    address_hash = hash_identifier(address)
    email_hash = hash_identifier(email) if email else ""
    if active_ban_exists(address_hash=address_hash, email_hash=email_hash):
        raise CommenterBanned
    with transaction.atomic():
        comment = Comment.objects.create(
            incident=incident,
            name=name,
            email=email,
            text=text,
            status=Comment.Status.PENDING,
            needs_review=False,
            awaiting_checks=True,
            address_hash=address_hash,
            email_hash=email_hash,
            language=detect_language(text, default=incident.language),
            fingerprint=fingerprint(text),
        )
        audit_record(
            actor=None,
            action="comment.submit",
            target=comment,
            details={"incident": incident.slug, "status": "awaiting_checks"},
        )
    return comment


def _final_state(decision: pipeline.Decision, incident: Incident) -> tuple[str, bool]:
    if decision.verdict == pipeline.REJECT:
        return Comment.Status.REJECTED, False
    if decision.verdict == pipeline.SPAM:
        return Comment.Status.SPAM, False
    if decision.verdict == pipeline.HOLD or not incident.post_moderation:
        return Comment.Status.PENDING, True
    # Post-moderation: shown at once, still waiting for a moderator's look.
    return Comment.Status.APPROVED, True


def comment_auto_moderate(*, comment_id: int, context: RequestContext | None = None) -> bool:
    """Run the moderation pipeline on a stored comment and set its status and reasons. Safe
    to run twice (a task delivered again, the sweep meeting a late task): only the first run
    that finds the comment still awaiting its checks decides. False when there was nothing to
    do."""
    context = context or RequestContext()
    comment = (
        Comment.objects.select_related("incident__service")
        .filter(pk=comment_id, awaiting_checks=True)
        .first()
    )
    if comment is None:
        return False
    incident = comment.incident
    submission = pipeline.Submission(
        incident=incident,
        name=comment.name,
        email=comment.email,
        text=comment.text,
        address_hash=comment.address_hash,
        email_hash=comment.email_hash,
        fingerprint=comment.fingerprint,
        language=comment.language,
        fill_seconds=context.fill_seconds,
        raw_address=context.address,
        user_agent=context.user_agent,
        referrer=context.referrer,
        comment_id=comment.pk,
    )
    # The pipeline may call Akismet over the network: no transaction is held meanwhile.
    decision = pipeline.moderate(submission)
    status, needs_review = _final_state(decision, incident)
    with transaction.atomic():
        # A moderator who acted meanwhile (a ban sweeps the commenter's comments) has decided.
        untouched = Comment.objects.filter(
            pk=comment.pk, awaiting_checks=True, moderated_at__isnull=True
        )
        decided = untouched.update(
            awaiting_checks=False,
            status=status,
            needs_review=needs_review,
            reasons=decision.reasons,
            spam_score=decision.spam_score,
            rejection_reason=decision.rejection_reason if decision.terminal else "",
        )
        if not decided:
            Comment.objects.filter(pk=comment.pk, awaiting_checks=True).update(
                awaiting_checks=False
            )
            return False
        audit_record(
            actor=None,
            action="comment.auto_moderate",
            target=comment,
            details={
                "incident": incident.slug,
                "status": status,
                "reasons": [r["code"] for r in decision.reasons],
                "spam_score": decision.spam_score,
            },
        )
    return True


def comment_submit(
    *,
    incident: Incident,
    name: str,
    email: str,
    text: str,
    address: str,
    user_agent: str = "",
    referrer: str = "",
    fill_seconds: float | None = None,
) -> Comment:
    """Receive and moderate in one go, for imports and seeding (the web path runs the checks
    on the worker). Raises CommenterBanned."""
    comment = comment_receive(incident=incident, name=name, email=email, text=text, address=address)
    context = RequestContext(
        address=address, user_agent=user_agent, referrer=referrer, fill_seconds=fill_seconds
    )
    comment_auto_moderate(comment_id=comment.pk, context=context)
    comment.refresh_from_db()
    return comment


def comments_auto_moderate_stale(*, limit: int = 200) -> int:
    """Check the comments whose auto-moderation task never ran (broker down when the reader
    posted, a message lost): without the request's context, so Akismet sees no address."""
    cutoff = timezone.now() - timedelta(seconds=setting("COMMENT_CHECKS_SWEEP_AFTER_SECONDS"))
    stale = list(
        Comment.objects.filter(awaiting_checks=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(comment_auto_moderate(comment_id=pk) for pk in stale)
