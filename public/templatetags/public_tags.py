"""Filters for the public pages: times in UTC for the server-rendered text (the reader's browser
turns them local), linkified plain text and http(s)-only links."""

from datetime import UTC, datetime

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe

from outagedesk.lib.sanitize import linkify_plain_text, safe_url
from public import labels

register = template.Library()


@register.filter
def iso_utc(value: datetime | None) -> str:
    if not value:
        return ""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


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
def linkify(value: str | None) -> str:
    return mark_safe(linkify_plain_text(value or ""))  # noqa: S308 - escaped, then safe links


@register.filter
def http_url(value: str | None) -> str:
    return safe_url(value)


@register.filter
def status_label(status: str) -> str:
    return labels.status_label(status)


@register.filter
def tier_label(tier: str) -> str:
    return labels.tier_label(tier)
