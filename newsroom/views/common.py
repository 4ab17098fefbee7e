"""Helpers shared by the newsroom views: loading an incident and assembling the workspace page
from its panels, each built by the one builder its fragments use too (newsroom.panels)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from incidents.models import Incident
from incidents.selectors.newsroom import incident_light, workspace_incident
from newsroom.panels.composer import composer_choice, composer_panel
from newsroom.panels.faq import faq_panel
from newsroom.panels.header import header_panel
from newsroom.panels.inbox import InboxQuery, inbox_panel, inbox_query
from newsroom.panels.signals import signals_panel
from newsroom.panels.state import state_panel
from newsroom.panels.timeline import timeline_panel

WORKSPACE = "newsroom/workspace.html"


def get_incident(pk: int, *, light: bool = False) -> Incident:
    incident = incident_light(pk) if light else workspace_incident(pk)
    if incident is None:
        raise Http404("No such incident")
    return incident


def workspace_context(
    request: HttpRequest,
    incident: Incident,
    *,
    inbox: InboxQuery | None = None,
    state: dict | None = None,
    composer: dict | None = None,
    faq: dict | None = None,
) -> dict:
    """The whole page. A view that answers a refused form passes that panel's context, built
    by the same panel builder with the editor's form kept; every other panel is fresh."""
    signals = signals_panel(incident)
    return {
        **header_panel(incident),
        **signals,
        **inbox_panel(
            incident,
            inbox or inbox_query(request.GET),
            region_shares=signals["region_shares"],
        ),
        **timeline_panel(incident),
        **(state if state is not None else state_panel(incident)),
        **(
            composer
            if composer is not None
            else composer_panel(
                user=request.user, incident=incident, **composer_choice(request.GET)
            )
        ),
        **(faq if faq is not None else faq_panel(incident)),
    }


def render_workspace(
    request: HttpRequest, incident: Incident, *, status: int = 200, **panels
) -> HttpResponse:
    return render(request, WORKSPACE, workspace_context(request, incident, **panels), status=status)
