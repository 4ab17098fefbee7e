"""Filling a canned reply's placeholders from an incident, in the reply's language."""

import re
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from comments.sanitize import plain_text
from outagedesk.lib.sanitize import safe_url

PLACEHOLDERS = (
    "service",
    "last_update_time",
    "status",
    "eta_text",
    "official_link",
    "alternatives",
)
# Only these names are replaced, by plain substitution: str.format would let a reply written in
# the admin reach attributes of the objects passed to it.
_PLACEHOLDER_RE = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def _format_time(moment: datetime | None) -> str:
    if moment is None:
        return gettext("not yet")
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def placeholder_values(
    *, incident, language: str, last_update_at: datetime | None = None
) -> dict[str, str]:
    """The text each placeholder stands for, in `language`. Pass last_update_at when the caller
    already knows it (the queue loads it for a whole page in one query)."""
    if last_update_at is None:
        latest = incident.updates.order_by("-published_at").values_list("published_at", flat=True)
        last_update_at = latest.first() or incident.started_at or incident.created_at
    service = incident.service
    with translation.override(language):
        if incident.resolved_at:
            eta_text = gettext("The service has been working again since %(time)s.") % {
                "time": _format_time(incident.resolved_at)
            }
        else:
            eta_text = gettext("No time for a return to normal has been announced yet.")
        official = (
            safe_url(service.help_url)
            or safe_url(service.status_page_url)
            or safe_url(service.official_account_url)
        )
        alternatives = []
        for alternative in service.alternatives or []:
            if not isinstance(alternative, dict) or not alternative.get("name"):
                continue
            url = safe_url(alternative.get("url"))
            alternatives.append(f"{alternative['name']} ({url})" if url else alternative["name"])
        return {
            "service": service.name,
            "last_update_time": _format_time(last_update_at),
            "status": str(incident.get_status_display()),
            "eta_text": eta_text,
            "official_link": official or f"{settings.SITE_URL}{incident.get_absolute_url()}",
            "alternatives": ", ".join(alternatives) or gettext("another messaging app"),
        }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER_RE.sub(lambda match: values[match.group(1)], text)


def canned_reply_fill(*, reply, incident, last_update_at: datetime | None = None) -> str:
    values = placeholder_values(
        incident=incident, language=reply.language, last_update_at=last_update_at
    )
    return plain_text(fill_placeholders(reply.text, values), max_length=4000)
