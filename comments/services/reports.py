"""Reader reports on an approved comment, and when enough of them send it back to the queue.

A fixed number of reports is wrong both ways: five friends can hide any comment on a quiet page,
and on a page read by thousands five is noise. So the number needed scales with how widely the
comment was seen: COMMENT_REPORTS_TO_HIDE at least, or COMMENT_REPORTS_HIDE_SHARE of the readers
who saw it, whichever is more.

"Seen" is measured cheaply and without counting page views: the comment section is served from
shared caches (nginx, CDN) and carries no per-reader state, so views never reach the app. What
does reach it is every reader who acts on the section: each reader (hashed address) who posted a
comment or a report on the same incident since this comment was approved had the section, and so
this comment, in front of them. One indexed query per report, nothing on the read path.

An official reply (a comment the newsroom answered on the page) is never hidden by readers: the
reports still put it in the reported queue for a moderator, but the newsroom's answer stays up.
"""

import math

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from comments.conf import setting
from comments.models import Comment, CommentReport, OfficialReply
from outagedesk.audit import audit_record
from outagedesk.ratelimit import hash_identifier


def comment_seen_by(comment: Comment) -> int:
    """Distinct readers who acted on the comment's incident since it was approved."""
    since = comment.moderated_at or comment.created_at
    posters = set(
        Comment.objects.filter(incident_id=comment.incident_id, created_at__gte=since)
        .exclude(pk=comment.pk)
        .values_list("address_hash", flat=True)
        .distinct()
        .order_by()
    )
    reporters = set(
        CommentReport.objects.filter(
            comment__incident_id=comment.incident_id, created_at__gte=since
        )
        .values_list("address_hash", flat=True)
        .distinct()
        .order_by()
    )
    posters.discard(comment.address_hash)  # the author does not count as an audience
    reporters.discard(comment.address_hash)
    return len(posters | reporters)


def reports_needed_to_hide(comment: Comment) -> int:
    share = float(setting("COMMENT_REPORTS_HIDE_SHARE"))
    floor = int(setting("COMMENT_REPORTS_TO_HIDE"))
    return max(floor, math.ceil(comment_seen_by(comment) * share))


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
            hidden, needed, official = False, 0, False
            if comment.status == Comment.Status.APPROVED:
                official = OfficialReply.objects.filter(comment=comment).exists()
                needed = reports_needed_to_hide(comment)
                if not official and comment.report_count >= needed:
                    # Enough of its readers object: hide it until a moderator decides.
                    comment.status = Comment.Status.PENDING
                    comment.needs_review = True
                    comment.reasons = [
                        *comment.reasons,
                        {
                            "code": "reports",
                            "decision": "hold",
                            "detail": str(comment.report_count),
                        },
                    ]
                    comment.save(update_fields=["status", "needs_review", "reasons"])
                    hidden = True
            audit_record(
                actor=None,
                action="comment.report",
                target=comment,
                details={
                    "reports": comment.report_count,
                    "needed_to_hide": needed,
                    "official_reply": official,
                    "hidden": hidden,
                },
            )
    except IntegrityError:
        return False
    return True
