"""Who may post a comment right now: the admission rules the comment endpoint applies before
anything is stored, and the per-incident slow mode that tightens them.

First, whether the incident still takes comments: they close a configurable time after its
resolution (COMMENTS_CLOSE_AFTER_RESOLUTION_HOURS, 48 h by default). Then, in order: the
reader's own rate (per hashed address, across incidents); in slow mode, one
comment per reader per interval on that incident and a lower ceiling for the page; a fuse
against a flood on one incident, far above what a crowd of real readers sends; then the form
itself: complete, honeypot empty, its signed "opened at" token genuine, fresh, and old enough
that a person could have typed the comment. Each refusal says what the reader can do next.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.conf import setting
from comments.forms import CommentForm, seconds_since
from incidents.models import Incident
from outagedesk.audit import Actor, audit_record
from outagedesk.ratelimit import hash_identifier, rate_limited


class FormShown(StrEnum):
    """What the refused reader gets back."""

    KEPT = "kept"  # their input again, with a fresh form token, so they can simply resend
    ERRORS = "errors"  # the form as sent, with its field errors
    BLANK = "blank"  # an empty form: nothing of the input is worth keeping


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str
    form: FormShown = FormShown.KEPT
    retry_after: int | None = None


@dataclass(frozen=True)
class Admitted:
    fill_seconds: float


def comments_close_at(incident: Incident) -> datetime | None:
    """When comments on this incident close: a set time after its resolution; None while it
    is not resolved."""
    if incident.status != Incident.Status.RESOLVED or not incident.resolved_at:
        return None
    hours = setting("COMMENTS_CLOSE_AFTER_RESOLUTION_HOURS")
    return incident.resolved_at + timedelta(hours=hours)


def comments_closed(incident: Incident, *, now: datetime | None = None) -> bool:
    close_at = comments_close_at(incident)
    return close_at is not None and (now or timezone.now()) >= close_at


def comments_closed_refusal(incident: Incident) -> Refusal | None:
    """The refusal for a comment sent after comments closed (the form is hidden by then; this
    answers a page left open, or a bot)."""
    if not comments_closed(incident):
        return None
    message = _(
        "Comments are closed: this incident was resolved more than %(hours)d hours ago. You can "
        "still read the comments and the updates."
    ) % {"hours": setting("COMMENTS_CLOSE_AFTER_RESOLUTION_HOURS")}
    return Refusal(403, message, form=FormShown.BLANK)


def _slow_mode_refusal(incident: Incident, address_key: str) -> Refusal | None:
    seconds = setting("COMMENT_SLOW_MODE_SECONDS")
    if rate_limited(f"comment:slow:{incident.pk}:{address_key}", limit=1, window_seconds=seconds):
        minutes = max(1, math.ceil(seconds / 60))
        message = ngettext(
            "Slow mode is on for this page: each reader can post one comment every minute, so "
            "that everyone can follow. Please try again in a little while.",
            "Slow mode is on for this page: each reader can post one comment every %(minutes)d "
            "minutes, so that everyone can follow. Please try again in a little while.",
            minutes,
        ) % {"minutes": minutes}
        return Refusal(429, message, retry_after=seconds)
    if rate_limited(
        f"comment:slow-incident:{incident.pk}",
        limit=setting("COMMENT_SLOW_MODE_RATE_PER_INCIDENT"),
        window_seconds=60,
    ):
        message = _(
            "Slow mode is on for this page and it is receiving many comments right now. Please "
            "try again in a minute."
        )
        return Refusal(429, message, retry_after=60)
    return None


def comment_rate_check(*, incident: Incident, address: str) -> Refusal | None:
    """Count this attempt against every rate that applies; the first one exceeded refuses."""
    address_key = hash_identifier(address)
    window = setting("COMMENT_RATE_PER_ADDRESS_WINDOW")
    if rate_limited(
        f"comment:addr:{address_key}",
        limit=setting("COMMENT_RATE_PER_ADDRESS"),
        window_seconds=window,
    ):
        message = _(
            "You have sent several comments in a short time. Please wait a few minutes before "
            "sending another one."
        )
        return Refusal(429, message, retry_after=window)
    if incident.comment_slow_mode and (refusal := _slow_mode_refusal(incident, address_key)):
        return refusal
    window = setting("COMMENT_RATE_PER_INCIDENT_WINDOW")
    if rate_limited(
        f"comment:incident:{incident.pk}",
        limit=setting("COMMENT_RATE_PER_INCIDENT"),
        window_seconds=window,
    ):
        message = _(
            "This page is receiving too many comments right now. Please try again in a minute."
        )
        return Refusal(429, message, retry_after=window)
    return None


def comment_form_check(form: CommentForm) -> Refusal | Admitted:
    """The form as a person would send it: complete, honeypot empty, token genuine and old
    enough. Validates `form`."""
    if not form.is_valid():
        if "ts" in form.errors:
            return Refusal(400, _("The form was incomplete. Please send your comment again."))
        return Refusal(400, "", form=FormShown.ERRORS)
    if form.cleaned_data["website"]:
        message = _("Your comment looks automated and was not sent.")
        return Refusal(400, message, form=FormShown.BLANK)
    elapsed = seconds_since(form.cleaned_data["ts"])
    if elapsed is None:
        message = _("This form had expired. Please check your comment and send it again.")
        return Refusal(400, message)
    if elapsed < setting("COMMENT_MIN_FILL_SECONDS"):
        message = _("That was quick! Please read your comment once more and send it again.")
        return Refusal(400, message)
    return Admitted(fill_seconds=elapsed)


def comment_admit(*, incident: Incident, address: str, form: CommentForm) -> Refusal | Admitted:
    """Every admission rule: closed comments first, then rates (a flood costs no form
    parsing), then the form."""
    return (
        comments_closed_refusal(incident)
        or comment_rate_check(incident=incident, address=address)
        or comment_form_check(form)
    )


def incident_comment_slow_mode_set(*, actor: Actor, incident: Incident, enabled: bool) -> bool:
    """Switch an incident's comment slow mode; False when it already was in that state."""
    with transaction.atomic():
        changed = (
            Incident.objects.filter(pk=incident.pk)
            .exclude(comment_slow_mode=enabled)
            .update(comment_slow_mode=enabled)
        )
        incident.comment_slow_mode = enabled
        if changed:
            audit_record(
                actor=actor,
                action="incident.comment_slow_mode",
                target=incident,
                details={"enabled": enabled},
            )
    return bool(changed)
