"""The published updates of the incident, newest first, each with its "Correct" link."""

from incidents.models import Incident
from incidents.selectors.newsroom import incident_timeline

TEMPLATE = "newsroom/panels/timeline.html"


def timeline_panel(incident: Incident) -> dict:
    return {"incident": incident, "timeline": incident_timeline(incident)}
