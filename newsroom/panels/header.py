"""The incident's title line. Everything it shows is read from the incident itself
(`workspace_incident` loads the service and its detector state with it), plus the promised
next update (one query)."""

from incidents.models import Incident
from incidents.selectors.updates import incident_next_update

TEMPLATE = "newsroom/panels/header.html"


def header_panel(incident: Incident) -> dict:
    return {"incident": incident, "next_update": incident_next_update(incident)}
