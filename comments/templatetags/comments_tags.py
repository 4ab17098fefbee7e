from django import template
from django.utils.safestring import mark_safe

from comments.reasons import rejection_reason_label
from outagedesk.lib.sanitize import linkify_plain_text

register = template.Library()


@register.filter
def comment_html(text: str) -> str:
    """Stored plain text as HTML: escaped, line breaks kept, http(s) links made safe links."""
    return mark_safe(linkify_plain_text(text or ""))  # noqa: S308 (escaped by linkify_plain_text)


@register.filter
def percent(value: float) -> int:
    return round((value or 0) * 100)


@register.filter
def rejection_label(code: str) -> str:
    return rejection_reason_label(code)
