"""Every write to comments, bans, canned replies and the FAQ goes through these functions."""

from comments.services.canned import canned_reply_fill, canned_reply_save, placeholder_values
from comments.services.faq import comment_promote_to_faq
from comments.services.moderation import (
    ModerationError,
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
    "canned_reply_fill",
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
    "placeholder_values",
]
