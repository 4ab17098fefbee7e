"""Receivers of the incidents app's signals: anything published or changed makes every cached
public response stale at once, then re-renders what that incident's readers ask for next.

The end of the public pipeline (receivers → warm → documents → renderers → cache); connected in
public/apps.py."""

from django.db import transaction

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


def on_service_content_saved(sender, **kwargs) -> None:
    """A service, one of its components or an FAQ entry saved or deleted (the admin, the
    newsroom's service screens): service pages and the home page show them. Stale at once, and
    again once the write commits, so a page rendered in between is not kept."""
    invalidate_all()
    transaction.on_commit(invalidate_all)
