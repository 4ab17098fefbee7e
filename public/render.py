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
from django.utils.translation import ngettext

from incidents.models import Incident, IncidentUpdate, Service
from outagedesk.lib.times import iso_utc as iso  # noqa: F401 - the renderers import it from here
from public.cache import NONCE_PLACEHOLDER
from public.labels import impact_label, kind_label, status_label

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
        "SITE_LOGO": settings.SITE_LOGO,
        "csp_nonce": NONCE_PLACEHOLDER,
    }


@dataclass(frozen=True)
class StatusLine:
    text: str  # the editor's words: the latest update's title when it speaks for the status
    tone: str  # ok, minor, major, critical: the colour, always with words (the kicker)
    detail: str  # status · confirmed or not
    kicker: str = ""  # what the editor chose: kind · impact ("Global outage · Critical impact")


# The colour of an active incident follows the impact the editor chose; "none" (not assessed
# yet) reads as a minor problem, never as "everything is fine".
TONE_BY_IMPACT: dict[str, str] = {
    Incident.Impact.CRITICAL: "critical",
    Incident.Impact.MAJOR: "major",
    Incident.Impact.MINOR: "minor",
    Incident.Impact.NONE: "minor",
}


def _fallback_text(incident: Incident, confirmed: bool, service: Service | None = None) -> str:
    """Words for an incident whose latest update does not speak for its current status (no
    update yet, or a status changed without one): built from the kind the editor chose, so it
    can never say "partly" about a global outage."""
    name = {"service": (service or incident.service).name}
    if incident.status == Incident.Status.RESOLVED:
        return _("%(service)s is working again") % name
    if incident.status == Incident.Status.MONITORING:
        return _("%(service)s is recovering: a fix is being monitored") % name
    if not confirmed:
        return _("Problems reported on %(service)s, not confirmed yet") % name
    by_kind: dict[str, str] = {
        Incident.Kind.GLOBAL: _("%(service)s is down"),
        Incident.Kind.REGIONAL: _("%(service)s is down in some regions"),
        Incident.Kind.FEATURE: _("Some %(service)s features are not working"),
        Incident.Kind.APP_BUG: _("A bug affects the %(service)s app"),
    }
    return by_kind.get(incident.kind, by_kind[Incident.Kind.GLOBAL]) % name


def status_line(
    incident: Incident,
    updates: list[IncidentUpdate],
    *,
    editor_title: bool = True,
    service: Service | None = None,
) -> StatusLine:
    """The one line that answers "is it down?", in the active language. `updates`: the public
    ones, newest first. The words are the editor's own: the latest update's title when that
    update was published with the incident's current status, the kind and impact they chose
    in the kicker; nothing here adds a word of its own that could contradict them.

    `editor_title=False` (service and home pages, whose labels are in the reader's language
    whatever the incident's): the words come from the kind the editor chose, in the page's
    language; the update itself is shown beside them, in its own. `service`: one of the
    services the incident affects, as the reader asked for it (default: the primary one)."""
    label = status_label(incident.status)
    confirmed = any(u.is_confirmed for u in updates)
    latest = updates[0] if updates else None
    speaks_for_status = editor_title and latest is not None and latest.status == incident.status
    if speaks_for_status and latest is not None:
        text = latest.title
    else:
        text = _fallback_text(incident, confirmed, service)
    if incident.status == Incident.Status.RESOLVED:
        return StatusLine(text, "ok", label, kicker=kind_label(incident.kind))
    detail = label + " · " + (_("Confirmed") if confirmed else _("Not confirmed yet"))
    kicker = f"{kind_label(incident.kind)} · {impact_label(incident.impact)}"
    return StatusLine(text, TONE_BY_IMPACT.get(incident.impact, "minor"), detail, kicker=kicker)


def duration_text(start, end) -> str:
    """How long an incident lasted, in words readers scan: "45 minutes", "6 h 20 min", "2 days
    3 h"."""
    minutes = max(0, int((end - start).total_seconds() // 60))
    if minutes < 60:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    days, hours = divmod(hours, 24)
    text = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    return f"{text} {hours} h" if hours else text
