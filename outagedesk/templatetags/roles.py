"""`staff_areas`: the staff areas a user's roles open, so navigation never links to a 403."""

from django import template
from django.utils.translation import gettext as _

from outagedesk.roles import ADMIN, EDITOR, MODERATOR, has_role

register = template.Library()


@register.filter
def staff_areas(user) -> list[dict[str, str]]:
    areas = [
        ((EDITOR,), "/newsroom/", _("Newsroom")),
        ((MODERATOR,), "/moderation/", _("Moderation")),
        ((ADMIN,), "/admin/", _("Admin")),
    ]
    return [{"url": url, "label": label} for roles, url, label in areas if has_role(user, *roles)]
