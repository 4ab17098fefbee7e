from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

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
