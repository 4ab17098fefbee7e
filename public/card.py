"""Renderer of the social cards (`/incidents/<slug>/card.png`): the image networks show when a
reader shares a page in a crisis. A renderer of the public pipeline (public/render.py ← here ←
public/documents.py); the drawing itself is outagedesk/lib/cards.py.

The card says what the page's hero says, in the incident's language: the kind and impact the
editor chose (or "resolved" and how long it lasted), the title, and when it was last updated.
It is drawn lazily, on the first request after a change (the public cache's generation makes
the previous one stale), so publishing never waits for it and a drawing failure never blocks
an update: the cache then serves the previous card.
"""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from incidents.models import Incident, Service
from incidents.selectors import public as selectors
from outagedesk.lib.cards import Card, installed_fonts, render_card
from outagedesk.lib.times import human_datetime
from public.cache import Rendered
from public.render import duration_text, status_line

PNG = "image/png"


def incident_card(incident: Incident) -> Card:
    """The card's words for an incident, in the active language."""
    updates = selectors.updates_for_incidents([incident.pk]).get(incident.pk, [])
    line = status_line(incident, updates)
    if incident.status == Incident.Status.RESOLVED and incident.resolved_at:
        start = incident.started_at or incident.created_at
        status = _("Resolved · lasted %(duration)s") % {
            "duration": duration_text(start, incident.resolved_at)
        }
    else:
        status = f"{line.kicker} · {line.detail}"
    last = updates[0].published_at if updates else incident.updated_at
    footer = _("Last update: %(time)s UTC") % {
        "time": human_datetime(last, translation.get_language())
    }
    return Card(
        site_name=settings.SITE_NAME,
        status=status,
        title=incident.shown_title,
        footer=footer,
        tone=line.tone,
    )


def service_card(service: Service, *, status: str, tone: str, updated_at) -> Card:
    """The card of a service's "is it down?" page, for its renderer to call with the state it
    shows (the words already in the page's language)."""
    footer = _("Last update: %(time)s UTC") % {
        "time": human_datetime(updated_at, translation.get_language())
    }
    return Card(
        site_name=settings.SITE_NAME, status=status, title=service.name, footer=footer, tone=tone
    )


def render_png(card: Card) -> bytes:
    return render_card(card, installed_fonts())


def render_incident_card(slug: str) -> Rendered:
    incident = selectors.public_incident_get(slug)
    if incident is None:
        raise Http404("No such public incident")
    with translation.override(incident.language):
        body = render_png(incident_card(incident))
    return Rendered(
        body,
        PNG,
        last_modified=selectors.incident_state(incident).changed_at,
        language=incident.language,
    )
