"""Receivers of the incidents app's signals: anything published or changed makes every cached
public response stale at once, then re-renders what that incident's readers ask for next.

The end of the public pipeline (receivers → warm → documents → renderers → cache); connected in
public/apps.py."""

from incidents.models import Incident, IncidentUpdate
from public.cache import invalidate_all
from public.warm import warm_incident


def on_update_published(sender, update: IncidentUpdate | None = None, **kwargs) -> None:
    invalidate_all()
    if update is not None:
        warm_incident(update.incident)


def on_incident_changed(sender, incident: Incident | None = None, **kwargs) -> None:
    invalidate_all()
    if incident is not None:
        warm_incident(incident)
