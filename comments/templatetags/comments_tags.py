from django import template

from comments.reasons import rejection_reason_label

register = template.Library()


@register.filter
def percent(value: float) -> int:
    return round((value or 0) * 100)


@register.filter
def rejection_label(code: str) -> str:
    return rejection_reason_label(code)
