from datetime import datetime

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from incidents.placeholders import markers_split

register = template.Library()


@register.filter
def short_time(value: datetime | None) -> str:
    """ "15:42" today, "4 Oct 15:42" another day: editors mostly look at the last hours."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if local.date() == timezone.localdate():
        return date_format(local, "H:i")
    if local.year == timezone.localdate().year:
        return date_format(local, "j M H:i")
    return date_format(local, "j M Y H:i")


@register.filter
def mark_to_fill(value: str) -> str:
    """The text escaped, its line breaks kept, and every "[to fill: …]" marker highlighted so the
    editor sees what they must still write before publishing."""
    pieces = (
        format_html('<mark class="to-fill">{}</mark>', piece)
        if is_marker
        else format_html("{}", piece)
        for piece, is_marker in markers_split(str(value or ""))
    )
    return linebreaksbr(
        format_html_join("", "{}", ((piece,) for piece in pieces)), autoescape=False
    )
