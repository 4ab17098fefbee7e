"""Filters for the public pages: times in UTC for the server-rendered text (the reader's browser
turns them local) and reader-facing labels. Links and ISO times: outagedesk_tags."""

from datetime import UTC, datetime

from django import template
from django.utils import translation

from outagedesk.lib import times
from public import labels

register = template.Library()


@register.filter
def utc_text(value: datetime | None) -> str:
    """ "14 Oct 2025, 16:35 UTC" (English) or "14/10/2025 16:35 UTC" (French): the one format
    of outagedesk.lib.times."""
    if not value:
        return ""
    return times.human_datetime(value, translation.get_language(), zone=UTC) + " UTC"


@register.filter
def utc_time(value: datetime | None) -> str:
    if not value:
        return ""
    return times.human_time(value, translation.get_language(), zone=UTC) + " UTC"


@register.filter
def status_label(status: str) -> str:
    return labels.status_label(status)


@register.filter
def tier_label(tier: str) -> str:
    return labels.tier_label(tier)


@register.filter
def source_label(source) -> str:
    return labels.source_label(source)
