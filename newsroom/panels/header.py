"""The incident's title line. Everything it shows is read from the incident itself
(`workspace_incident` loads the service and its detector state with it)."""

from incidents.models import Incident

TEMPLATE = "newsroom/panels/header.html"


def header_panel(incident: Incident) -> dict:
    return {"incident": incident}
