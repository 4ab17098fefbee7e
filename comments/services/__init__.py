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
from comments.services.submission import CommenterBanned, comment_report, comment_submit

__all__ = [
    "CommenterBanned",
    "ModerationError",
    "canned_reply_save",
    "comment_promote_to_faq",
    "comment_reply",
    "comment_report",
    "comment_submit",
    "commenters_ban",
    "comments_approve",
    "comments_mark_spam",
    "comments_reject",
    "moderation_undo",
]
