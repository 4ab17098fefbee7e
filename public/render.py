"""Helpers every public renderer shares (pages, banner, statuspage): content types, JSON that
stays inert inside HTML, UTC timestamps, the site context and the one "is it down?" line.

Second step of the public pipeline: it builds on public/cache.py (the nonce placeholder) and is
used by the renderers; it never renders a whole document itself.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from incidents.models import Incident, IncidentUpdate, Service
from outagedesk.lib.times import iso_utc as iso  # noqa: F401 - the renderers import it from here
from public.cache import NONCE_PLACEHOLDER
from public.labels import status_label

HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"

_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_json(data) -> SafeString:
    """JSON safe inside <script>: no "</script>", "<!--" or "&" can close or confuse it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308 - <, >, & escaped


def json_body(data: dict) -> bytes:
    """A JSON response body. <, > and & escaped: the bytes stay inert even if something renders
    them as HTML."""
    return json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES).encode()


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def site_context() -> dict:
    """What every public page template needs; the nonce is swapped per response on the way out."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "csp_nonce": NONCE_PLACEHOLDER,
    }


@dataclass(frozen=True)
class StatusLine:
    text: str
    tone: str  # ok, warn, bad, critical: the colour, always with words
    detail: str


def status_line(
    incident: Incident, updates: list[IncidentUpdate], *, service: Service | None = None
) -> StatusLine:
    """The one line that answers "is it down?", in the active language, about `service` (one of
    the services the incident affects, as the reader asked for it) or its primary service."""
    name = (service or incident.service).name
    label = status_label(incident.status)
    confirmed = any(u.is_confirmed for u in updates)
    if incident.status == Incident.Status.RESOLVED:
        return StatusLine(_("%(service)s is working again") % {"service": name}, "ok", label)
    detail = label + " · " + (_("Confirmed") if confirmed else _("Not confirmed yet"))
    if incident.status == Incident.Status.MONITORING:
        text = _("%(service)s is recovering: a fix is being monitored") % {"service": name}
        return StatusLine(text, "warn", detail)
    if not confirmed:
        text = _("Problems reported on %(service)s, not confirmed yet") % {"service": name}
        return StatusLine(text, "warn", detail)
    texts = {
        Incident.Impact.CRITICAL: (_("%(service)s is down"), "critical"),
        Incident.Impact.MAJOR: (_("%(service)s is partly down"), "bad"),
        Incident.Impact.MINOR: (_("%(service)s has minor problems"), "warn"),
    }
    template, tone = texts.get(
        incident.impact, (_("%(service)s: problems under investigation"), "warn")
    )
    return StatusLine(template % {"service": name}, tone, detail)
