"""The signals panel: the chart against the usual level and the breakdown of the signals."""

from incidents.models import Incident
from newsroom.charts import breakdown, signal_chart

TEMPLATE = "newsroom/panels/signals.html"


def signals_panel(incident: Incident) -> dict:
    return {
        "incident": incident,
        "chart": signal_chart(incident),
        "component_shares": breakdown(incident, "component"),
        "region_shares": breakdown(incident, "region"),
    }
