from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from outagedesk.lib.sanitize import safe_url

register = template.Library()


@register.filter
def safe_href(value) -> str:
    """Only http(s) links from sources reach an href."""
    return safe_url(value)


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
