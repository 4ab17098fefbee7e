"""Reads for the public comment section and the moderation queue, in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from comments.conf import setting
from comments.models import CannedReply, Comment
from comments.moderation.text import is_question
from comments.reasons import DECISION_LABELS, reason_label
from comments.similarity import build_index, candidates_from, normalise
from incidents.models import FAQEntry, Incident, IncidentUpdate
from incidents.placeholders import placeholders_fill_from
from outagedesk.lib.sanitize import clean_text

QUEUES = ("pending", "reported", "approved", "rejected", "spam")
ORDERS = ("oldest", "newest")


def queue_filter(queue: str) -> Q:
    if queue == "pending":
        return Q(needs_review=True)
    if queue == "reported":
        return Q(reported_at__isnull=False)
    return Q(status=queue)


def queue_counts(*, incident_id: int | None = None) -> dict[str, int]:
    """Every queue's size in three queries, each answered from an index alone."""
    qs = Comment.objects.order_by()
    if incident_id:
        qs = qs.filter(incident_id=incident_id)
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "pending": qs.filter(needs_review=True).count(),
        "reported": qs.filter(reported_at__isnull=False).count(),
        "approved": by_status.get(Comment.Status.APPROVED, 0),
        "rejected": by_status.get(Comment.Status.REJECTED, 0),
        "spam": by_status.get(Comment.Status.SPAM, 0),
    }


@dataclass
class Suggestion:
    reply: CannedReply
    score: float
    text: str


@dataclass
class QueueRow:
    comment: Comment
    reasons: list[dict[str, Any]] = field(default_factory=list)
    suggestion: Suggestion | None = None
    rejected_before: int = 0
    is_question: bool = False
    default_reason: str = "other"
    faq_question: str = ""
    faq_answer: str = ""


_REASON_FOR_CODE = {
    "banned_word": "offensive",
    "suspect_word": "offensive",
    "shouting": "offensive",
    "links": "spam",
    "repeat_author": "spam",
    "repeat_incident": "spam",
    "spam_score": "spam",
    "akismet": "spam",
}


def default_rejection_reason(reasons: list[dict[str, Any]]) -> str:
    """The reason the moderator most likely means when pressing r on this comment."""
    for reason in reasons:
        if reason.get("code") in _REASON_FOR_CODE:
            return _REASON_FOR_CODE[reason["code"]]
    return "other"


def active_canned_replies() -> list[CannedReply]:
    return list(CannedReply.objects.filter(is_active=True).order_by("language", "category", "pk"))


def canned_reply_fill(
    *, reply: CannedReply, incident: Incident, last_update_at: datetime | None = None
) -> str:
    """The reply's text with its placeholders filled from the incident, in the reply's
    language. Pass last_update_at when it is known (the queue loads it for a whole page)."""
    text = placeholders_fill_from(
        reply.text, incident=incident, language=reply.language, last_update_at=last_update_at
    )
    return clean_text(text, max_length=4000)


def faq_entry_asking(*, incident: Incident, language: str, question: str) -> FAQEntry | None:
    """The incident's FAQ entry that already asks `question`, compared folded (case, accents,
    punctuation) in Python: SQLite's iexact is ASCII-only."""
    wanted = normalise(question)
    entries = FAQEntry.objects.filter(incident=incident, language=language).order_by("pk")
    return next((e for e in entries if normalise(e.question) == wanted), None)


def last_update_times(incident_ids: list[int]) -> dict[int, datetime]:
    rows = (
        IncidentUpdate.objects.filter(incident_id__in=incident_ids)
        .order_by()
        .values("incident_id")
        .annotate(latest=Max("published_at"))
        .values_list("incident_id", "latest")
    )
    return dict(rows)


def suggest_reply(
    text: str, language: str, replies: list[CannedReply]
) -> tuple[CannedReply, float] | None:
    """The canned reply that best answers `text`, if it is a question and one fits well enough."""
    if not replies or not is_question(text):
        return None
    index = build_index(candidates_from(replies))
    best = index.best(text, language, minimum=setting("CANNED_REPLY_MIN_SIMILARITY"))
    if best is None:
        return None
    by_id = {r.pk: r for r in replies}
    return by_id[best[0].id], best[1]


def queue_rows(
    *,
    queue: str,
    order: str = "oldest",
    incident_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
    replies: list[CannedReply] | None = None,
) -> list[QueueRow]:
    qs = (
        Comment.objects.filter(queue_filter(queue))
        .select_related("incident__service", "moderated_by")
        .prefetch_related("replies")
    )
    if incident_id:
        qs = qs.filter(incident_id=incident_id)
    key = "reported_at" if queue == "reported" else "created_at"
    qs = qs.order_by(key, "pk") if order == "oldest" else qs.order_by(f"-{key}", "-pk")
    comments = list(qs[offset : offset + limit])
    if not comments:
        return []
    if replies is None:
        replies = active_canned_replies()
    by_id = {r.pk: r for r in replies}
    updates = last_update_times(sorted({c.incident_id for c in comments}))
    history = dict(
        Comment.objects.filter(
            address_hash__in={c.address_hash for c in comments},
            status__in=[Comment.Status.REJECTED, Comment.Status.SPAM],
        )
        .order_by()
        .values("address_hash")
        .annotate(n=Count("pk"))
        .values_list("address_hash", "n")
    )
    rows = []
    for comment in comments:
        row = QueueRow(
            comment=comment,
            reasons=[
                {
                    **reason,
                    "label": reason_label(reason),
                    "decision_label": DECISION_LABELS.get(reason.get("decision"), ""),
                }
                for reason in comment.reasons or []
            ],
            rejected_before=history.get(comment.address_hash, 0)
            - (comment.status in (Comment.Status.REJECTED, Comment.Status.SPAM)),
            is_question=is_question(comment.text),
            default_reason=default_rejection_reason(comment.reasons or []),
        )
        # A question promoted to the FAQ reads best in the canned reply's wording.
        official = list(comment.replies.all())
        from_canned = [
            by_id[r.canned_reply_id]
            for r in official
            if r.canned_reply_id is not None and r.canned_reply_id in by_id
        ]
        row.faq_question = from_canned[-1].question if from_canned else comment.text[:300]
        row.faq_answer = official[-1].text if official else ""
        found = suggest_reply(comment.text, comment.language or comment.incident.language, replies)
        if found:
            reply, score = found
            row.suggestion = Suggestion(
                reply=reply,
                score=score,
                text=canned_reply_fill(
                    reply=reply,
                    incident=comment.incident,
                    last_update_at=updates.get(comment.incident_id)
                    or comment.incident.started_at
                    or comment.incident.created_at,
                ),
            )
        rows.append(row)
    return rows


def queue_incidents(limit: int = 50) -> list[Incident]:
    """Incidents to filter the queue by: the most recent public ones."""
    return list(Incident.objects.filter(is_public=True).order_by("-created_at")[:limit])


def public_comments(incident: Incident) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(incident=incident, status=Comment.Status.APPROVED)
        .order_by("created_at", "pk")
        .prefetch_related("replies")
    )


def reader_pending_comments(incident: Incident, ids: list[int]) -> list[Comment]:
    if not ids:
        return []
    return list(
        Comment.objects.filter(
            incident=incident, pk__in=ids[-20:], status=Comment.Status.PENDING
        ).order_by("created_at", "pk")
    )
