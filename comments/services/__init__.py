"""Every write to comments, bans and canned replies goes through these functions (a question
promoted to the FAQ is written by incidents.services.faq)."""

from comments.services.canned import canned_reply_save
from comments.services.moderation import (
    ModerationError,
    comment_promote_to_faq,
    comment_reply,
    commenters_ban,
    comments_approve,
    comments_mark_spam,
    comments_reject,
    moderation_undo,
)
from comments.services.reports import comment_report
from comments.services.submission import (
    CommenterBanned,
    RequestContext,
    comment_auto_moderate,
    comment_receive,
    comment_submit,
    comments_auto_moderate_stale,
)

__all__ = [
    "CommenterBanned",
    "ModerationError",
    "RequestContext",
    "canned_reply_save",
    "comment_auto_moderate",
    "comment_promote_to_faq",
    "comment_receive",
    "comment_reply",
    "comment_report",
    "comment_submit",
    "commenters_ban",
    "comments_approve",
    "comments_auto_moderate_stale",
    "comments_mark_spam",
    "comments_reject",
    "moderation_undo",
]
