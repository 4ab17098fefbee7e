"""The filters every app's templates share, one home each: `{% load outagedesk_tags %}`.

- `linkify`: stored plain text (comments, updates, FAQ answers) as HTML: escaped, line breaks
  kept, only http(s) URLs made links (nofollow, new tab).
- `http_url`: an http(s) URL for an href, or "" (never javascript:, data:, …).
- `iso_utc`: a moment as ISO 8601 in UTC, for `<time datetime>`.
- `human_datetime` / `human_time`: the one date and time format of the active language, in UTC
  (outagedesk.lib.times; emails and feeds call the same functions).
- `typography`: editor text shown on a French page gets French spacing before : ; ? ! and
  inside « » (outagedesk.lib.typography); other languages are left as typed.
- `{% colon %}`: the colon a template writes between two pieces ("Telegram : environ…"),
  with the no-break space French puts before it.
App-specific filters stay in the app's own library (newsroom_tags, public_tags, comments_tags).
"""

from datetime import datetime

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from outagedesk.lib import times
from outagedesk.lib.sanitize import linkify_plain_text, safe_url
from outagedesk.lib.typography import colon_for, french_typography

register = template.Library()


@register.filter
def linkify(value: str | None) -> SafeString:
    return mark_safe(linkify_plain_text(value or ""))  # noqa: S308 - escaped, then safe links


@register.filter
def http_url(value: object) -> str:
    return safe_url(value)


@register.filter
def iso_utc(value: datetime | None) -> str:
    return times.iso_utc(value) or ""


@register.filter
def human_datetime(value: datetime | None) -> str:
    return times.human_datetime(value, translation.get_language())


@register.filter
def human_time(value: datetime | None) -> str:
    return times.human_time(value, translation.get_language())


@register.filter(is_safe=False)
def typography(value: str | None) -> str:
    """Plain text in, plain text out (still escaped by the template); apply before linkify."""
    text = str(value or "")
    if (translation.get_language() or "").startswith("fr"):
        return french_typography(text)
    return text


@register.simple_tag
def colon() -> str:
    """The colon between two pieces in the active language (outagedesk.lib.typography)."""
    return colon_for(translation.get_language() or "")
