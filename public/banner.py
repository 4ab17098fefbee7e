"""Renderer of the embeddable alert banner: its data (banner.json), its iframe variant and its
script. A renderer of the public pipeline (public/render.py ← here ← public/documents.py).

The script shows the first incident of `incidents` (the most severe, then the most recently
changed) while one is active, and remembers a dismissal under `key`, which changes with every
new update.
"""

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from incidents.selectors import public as selectors
from incidents.selectors.translations import choose_language, localized, translations_for
from incidents.selectors.updates import incident_next_update_due
from outagedesk.lib.times import human_time
from public.cache import Rendered
from public.labels import status_label
from public.render import HTML, JSON, iso, json_body, status_line

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
MAX_SERVICES = 10
SCRIPT_PATH = Path(__file__).resolve().parent / "static" / "public" / "banner.js"
SCRIPT_TYPE = "text/javascript; charset=utf-8"


def parse_services(raw: str) -> tuple[str, ...]:
    """ "whatsapp, Instagram" → ("instagram", "whatsapp"); junk dropped; () means every service."""
    slugs = {part.strip().lower() for part in (raw or "").split(",")}
    return tuple(sorted(s for s in slugs if SLUG.match(s)))[:MAX_SERVICES]


def parse_language(raw: str) -> str:
    code = (raw or "").strip().lower()[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def banner_language(requested: str, active: list, updates: dict, versions: dict) -> str:
    """The banner shows its first incident: it is in the language that incident's updates
    exist in, the reader's when there is that version (labels never disagree with the text)."""
    if not active:
        return requested
    first = active[0]
    return choose_language(
        requested, incident=first, updates=updates.get(first.pk, []), translations=versions
    ).language


def banner_data(services: tuple[str, ...], language: str) -> dict:
    active = selectors.active_public_incidents(service_slugs=services or None)
    updates = selectors.updates_for_incidents([i.pk for i in active])
    versions = translations_for(u for group in updates.values() for u in group)
    language = banner_language(language, active, updates, versions)
    updates = {pk: localized(group, language, versions) for pk, group in updates.items()}
    with translation.override(language):
        items = []
        for incident in active:
            incident_updates = updates.get(incident.pk, [])
            latest = incident_updates[0] if incident_updates else None
            changed = latest.published_at if latest else incident.updated_at
            due = incident_next_update_due(incident)
            affected = incident.affected_services()
            # The blog embedding the Instagram banner reads "Instagram is down", not the name
            # of the outage's primary service.
            named = next((s for s in affected if s.slug in services), incident.service)
            headline = status_line(incident, incident_updates, service=named).text
            items.append(
                {
                    "id": incident.slug,
                    "key": f"u{latest.pk}" if latest else f"i{incident.pk}-{incident.version}",
                    "service": named.slug,
                    "services": [s.slug for s in affected],
                    "headline": headline,
                    # The incident's title where it was written in the banner's language
                    # (the state in words otherwise: never a title in another language).
                    "title": incident.title_in(language) or headline,
                    "status": incident.status,
                    "status_label": status_label(incident.status),
                    "impact": incident.impact,
                    "update_title": latest.title if latest else "",
                    "updated_at": iso(changed),
                    "url": settings.SITE_URL + incident.get_absolute_url(language),
                    # The newsroom's promise (ISO 8601 UTC, or null), with the words to show.
                    "next_update_by": iso(due),
                    "next_update_text": (
                        _("Next update by %(time)s UTC") % {"time": human_time(due, language)}
                        if due
                        else ""
                    ),
                }
            )
        labels = {"close": _("Close this alert"), "more": _("Details"), "updated": _("Updated")}
    return {"lang": language, "incidents": items, "labels": labels}


def render_json(services: tuple[str, ...], language: str) -> Rendered:
    return Rendered(json_body(banner_data(services, language)), JSON)


def render_frame(services: tuple[str, ...], language: str) -> Rendered:
    data = banner_data(services, language)
    language = data["lang"]
    incident = (data["incidents"] or [None])[0]
    updated = datetime.fromisoformat(incident["updated_at"]) if incident else None
    with translation.override(language):
        names = [s.name for s in selectors.tracked_services() if not services or s.slug in services]
        html = render_to_string(
            "public/banner_frame.html",
            {
                "incident": incident,
                "updated": updated,
                "more": len(data["incidents"]) - 1,
                "labels": data["labels"],
                "service_names": names,
                "lang": language,
            },
        )
    return Rendered(html.encode(), HTML)


@lru_cache(maxsize=1)
def script() -> bytes:
    """The script blogs embed, read once per process."""
    return SCRIPT_PATH.read_bytes()
