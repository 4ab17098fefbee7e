"""Comment and moderation limits, each overridable in settings (tests and busy sites tune them)."""

from django.conf import settings

DEFAULTS = {
    "COMMENT_NAME_MAX_LENGTH": 80,
    "COMMENT_TEXT_MAX_LENGTH": 2000,
    "COMMENT_TEXT_MIN_LENGTH": 2,
    # The form must stay open at least this long (bots post at once) and at most this long.
    "COMMENT_MIN_FILL_SECONDS": 3,
    "COMMENT_FORM_MAX_AGE_SECONDS": 6 * 3600,
    # Per reader (hashed address), and a fuse per incident against a flood from many addresses:
    # far above what a crowd sends (20 comments a second from distinct readers must get in), so
    # that during a crisis readers are refused for what they do, not for how many they are.
    "COMMENT_RATE_PER_ADDRESS": 5,
    "COMMENT_RATE_PER_ADDRESS_WINDOW": 600,
    "COMMENT_RATE_PER_INCIDENT": 6000,
    "COMMENT_RATE_PER_INCIDENT_WINDOW": 60,
    # Slow mode, switched on per incident by its editors or moderators: one comment per reader
    # per interval on that incident, and a lower ceiling for the page.
    "COMMENT_SLOW_MODE_SECONDS": 120,
    "COMMENT_SLOW_MODE_RATE_PER_INCIDENT": 300,
    # Comments whose automatic checks have not run after this long are checked by the sweep.
    "COMMENT_CHECKS_SWEEP_AFTER_SECONDS": 120,
    "COMMENT_REPORT_RATE_PER_ADDRESS": 20,
    "COMMENT_REPORT_RATE_WINDOW": 600,
    # An approved comment is hidden until reviewed once this many readers reported it, or this
    # share of the readers who saw it if that is more (see comments/services/reports.py).
    "COMMENT_REPORTS_TO_HIDE": 5,
    "COMMENT_REPORTS_HIDE_SHARE": 0.05,
    "COMMENTS_PER_PAGE": 50,
    "MODERATION_QUEUE_PAGE_SIZE": 50,
    # Auto-moderation thresholds.
    "COMMENT_MAX_LINKS": 2,
    "COMMENT_SHOUTING_MIN_LETTERS": 12,
    "COMMENT_SHOUTING_RATIO": 0.7,
    "COMMENT_SPAM_HOLD_SCORE": 0.4,
    "COMMENT_SPAM_SCORE": 0.7,
    "COMMENT_REPEAT_AUTHOR_HOURS": 24,
    "COMMENT_REPEAT_INCIDENT_MINUTES": 60,
    "COMMENT_REPEAT_INCIDENT_COPIES": 2,
    "COMMENT_REPEAT_MIN_LENGTH": 30,
    "COMMENT_HISTORY_DAYS": 7,
    "COMMENT_HISTORY_REJECTIONS": 2,
    # (connect, read) seconds, as outagedesk.lib.fetch.safe_fetch takes them.
    "AKISMET_TIMEOUT": (2.0, 3.0),
    "CANNED_REPLY_MIN_SIMILARITY": 0.3,
    "MODERATION_UNDO_HOURS": 24,
    # Comments close this long after an incident is resolved: the crowd has moved on, and a
    # resolved page left open only collects spam.
    "COMMENTS_CLOSE_AFTER_RESOLUTION_HOURS": 48,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
