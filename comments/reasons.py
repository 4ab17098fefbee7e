"""Readable labels for the moderation reasons stored on comments and the rejection reasons."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

REASON_LABELS = {
    "banned_word": _("Banned word: %(detail)s"),
    "suspect_word": _("Suspect word: %(detail)s"),
    "links": _("Too many links (%(detail)s)"),
    "repeat_author": _("Same text already posted by this reader"),
    "repeat_incident": _("Same text posted %(detail)s times on this incident"),
    "shouting": _("Shouting (%(detail)s%% capitals)"),
    "spam_score": _("Spam score %(detail)s"),
    "akismet": _("Akismet says spam"),
    "akismet_unavailable": _("Akismet could not answer"),
    "history": _("This reader had %(detail)s comments rejected recently"),
    "reports": _("Hidden after %(detail)s reader reports"),
}

DECISION_LABELS = {
    "reject": pgettext_lazy("moderation decision", "rejected"),
    "spam": pgettext_lazy("moderation decision", "spam"),
    "hold": pgettext_lazy("moderation decision", "held"),
    "note": pgettext_lazy("moderation decision", "note"),
}

REJECTION_REASON_CHOICES = [
    ("offensive", _("Offensive")),
    ("spam", _("Spam")),
    ("off-topic", _("Off-topic")),
    ("misinformation", _("Misinformation")),
    ("other", _("Other")),
]


def reason_label(reason: dict) -> str:
    template = REASON_LABELS.get(reason.get("code", ""))
    if template is None:
        return str(reason.get("code", ""))
    return str(template) % {"detail": reason.get("detail", "")}


def rejection_reason_label(code: str) -> str:
    return str(dict(REJECTION_REASON_CHOICES).get(code, code))
