"""The published updates of the incident, newest first, each with its "Correct" link."""

from incidents.models import Incident
from incidents.selectors.newsroom import incident_timeline
from incidents.selectors.translations import translations_for

TEMPLATE = "newsroom/panels/timeline.html"


def timeline_panel(incident: Incident) -> dict:
    timeline = incident_timeline(incident)
    translations = translations_for(timeline)
    return {
        "incident": incident,
        "timeline": timeline,
        # Updates with no version in the other language get an "Add the … version" link.
        "untranslated": {
            update.pk
            for update in timeline
            if not set(translations.get(update.pk, {})) - {update.language}
        },
    }
