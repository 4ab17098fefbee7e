"""Filters for the public pages: times in UTC for the server-rendered text (the reader's browser
turns them local) and reader-facing labels. Links and ISO times: outagedesk_tags."""

from datetime import UTC, datetime

from django import template
from django.utils import formats

from public import labels

register = template.Library()


@register.filter
def utc_text(value: datetime | None) -> str:
    """ "14 Oct 2025, 16:35 UTC" in the active language."""
    if not value:
        return ""
    return formats.date_format(value.astimezone(UTC), "j N Y, H:i") + " UTC"


@register.filter
def utc_time(value: datetime | None) -> str:
    if not value:
        return ""
    return value.astimezone(UTC).strftime("%H:%M") + " UTC"


@register.filter
def status_label(status: str) -> str:
    return labels.status_label(status)


@register.filter
def tier_label(tier: str) -> str:
    return labels.tier_label(tier)
