"""Renderer of the public pages: the index, an incident's page and its live state (state.json).

A renderer of the public pipeline (public/cache.py ← public/render.py ← here ← documents): it
turns the database into a `Rendered` body and knows nothing of keys, caching or HTTP. Pages are
rendered without the request: nothing that differs between readers may end up in a body every
reader shares. The language is the incident's (or, for the index, the reader's).
"""

import hashlib
import json

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from incidents.models import Incident, IncidentUpdate, Service
from incidents.selectors import public as selectors
from incidents.selectors.translations import (
    LanguageChoice,
    incident_versions,
    localized,
    translations_for,
)
from outagedesk.lib.sanitize import safe_url
from public.cache import Rendered
from public.chart import build_chart, chart_window
from public.labels import official_links
from public.languages import language_context
from public.places import country_choices, region_name
from public.render import HTML, JSON, absolute, iso, script_json, site_context, status_line


def state_version(state: selectors.IncidentState) -> str:
    raw = f"{state.status}|{state.impact}|{state.latest_update_id}|{state.update_count}|{state.changed_at.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _update_text(update: IncidentUpdate) -> str:
    return "\n\n".join(part for part in (update.message, update.advice) if part)


def _alternatives(service: Service) -> list[dict]:
    french = (translation.get_language() or "en").startswith("fr")
    items = []
    for alternative in service.alternatives or []:
        if not isinstance(alternative, dict) or not alternative.get("name"):
            continue
        note = alternative.get("note_fr" if french else "note_en") or alternative.get("note_en")
        items.append(
            {
                "name": str(alternative["name"]),
                "url": safe_url(alternative.get("url")),
                "note": str(note or ""),
            }
        )
    return items


def _jsonld(
    incident, updates, faq, canonical, description, since, last, language
) -> list[SafeString]:
    live = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": canonical,
        "url": canonical,
        "headline": incident.title,
        "description": description,
        "inLanguage": language,
        "datePublished": iso(since),
        "dateModified": iso(last),
        "coverageStartTime": iso(since),
        "about": {"@type": "Thing", "name": incident.service.name},
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "@id": f"{canonical}#update-{u.pk}",
                "url": f"{canonical}#update-{u.pk}",
                "headline": u.title,
                "articleBody": _update_text(u),
                "datePublished": iso(u.published_at),
            }
            for u in updates
        ],
    }
    if incident.status == Incident.Status.RESOLVED and incident.resolved_at:
        live["coverageEndTime"] = iso(incident.resolved_at)
    blocks = [script_json(live)]
    if faq:
        blocks.append(
            script_json(
                {
                    "@context": "https://schema.org",
                    "@type": "FAQPage",
                    "inLanguage": language,
                    "mainEntity": [
                        {
                            "@type": "Question",
                            "name": entry.question,
                            "acceptedAnswer": {"@type": "Answer", "text": entry.answer},
                        }
                        for entry in faq
                    ],
                }
            )
        )
    return blocks


def incident_context(incident: Incident, choice: LanguageChoice, updates: list) -> dict:
    """The page's context, in `choice.language` (active), from `updates` already in it."""
    language = choice.language
    faq = selectors.incident_faq(incident, language=language)
    state = selectors.incident_state(incident)
    line = status_line(incident, updates)
    chronological = sorted(updates, key=lambda u: (u.published_at, u.pk))
    since = incident.started_at or (
        chronological[0].published_at if chronological else incident.created_at
    )
    last = updates[0].published_at if updates else incident.updated_at
    latest_advice = next((u for u in updates if u.advice or u.call_to_action), None)
    canonical = absolute(incident.get_absolute_url(language))
    summary = updates[0].message if updates else ""
    description = Truncator(f"{line.text}. {summary}".strip()).chars(200)
    start, end = chart_window(incident)
    regions = [region_name(r) for r in (incident.regions or []) if str(r).strip()]
    components = list(incident.components.all())
    return {
        **site_context(),
        "incident": incident,
        "service": incident.service,
        "updates": updates,
        "status": line,
        "components": components,
        "whole_service": not components,
        "regions": regions,
        "since": since,
        "last_updated": last,
        "latest_advice": latest_advice,
        "alternatives": _alternatives(incident.service),
        "official_links": [
            (label, safe_url(url)) for label, url in official_links(incident.service)
        ],
        "faq": faq,
        "chart": build_chart(service=incident.service, start=start, end=end),
        "report_components": list(incident.service.components.order_by("position")),
        "countries": country_choices(),
        "canonical": canonical,
        "description": description,
        **language_context(
            current=language,
            requested=choice.requested,
            existing=choice.complete,
            path_for=incident.get_absolute_url,
        ),
        "page_language": language,
        "jsonld": _jsonld(incident, updates, faq, canonical, description, since, last, language),
        "state_version": state_version(state),
        "published_iso": iso(since),
        "modified_iso": iso(last),
    }


def render_incident_page(slug: str, language: str) -> Rendered:
    """The page asked for in `language`: in it when every update exists in it, else wholly in
    the content's language with a note that the asked-for version does not exist yet."""
    incident = selectors.public_incident_get(slug)
    if incident is None:
        raise Http404("No such public incident")
    choice, updates = incident_versions(
        language, incident=incident, updates=selectors.public_updates(incident)
    )
    if choice.language != incident.language and updates:
        # The incident's own title exists in its language only: a page in the other language
        # heads with the latest update's title in that language (display only, never saved).
        incident.title = updates[0].title
    with translation.override(choice.language):
        context = incident_context(incident, choice, updates)
        html = render_to_string("public/incident.html", context)
    return Rendered(
        html.encode(),
        HTML,
        last_modified=selectors.incident_state(incident).changed_at,
        language=choice.language,
    )


def render_state(slug: str) -> Rendered:
    incident = selectors.public_incident_get(slug)
    if incident is None:
        raise Http404("No such public incident")
    state = selectors.incident_state(incident)
    body = {
        "version": state_version(state),
        "status": state.status,
        "latest_update_id": state.latest_update_id,
        "updated_at": iso(state.changed_at),
    }
    return Rendered(json.dumps(body).encode(), JSON, last_modified=state.changed_at)


def render_index(language: str) -> Rendered:
    with translation.override(language):
        active = selectors.active_public_incidents()
        recent = selectors.recent_public_incidents(limit=20)
        latest = selectors.updates_for_incidents([i.pk for i in [*active, *recent]])
        versions = translations_for(u for group in latest.values() for u in group)
        # Each update in the page's language when it has that version.
        latest = {pk: localized(group, language, versions) for pk, group in latest.items()}
        cards = []
        for incident in active:
            updates = latest.get(incident.pk, [])
            cards.append(
                {
                    "incident": incident,
                    "status": status_line(incident, updates),
                    "latest": updates[0] if updates else None,
                }
            )
        busy = {i.service_id for i in active}
        quiet = [s for s in selectors.tracked_services() if s.pk not in busy]
        context = {
            **site_context(),
            "cards": cards,
            "recent": [{"incident": i, "latest": (latest.get(i.pk) or [None])[0]} for i in recent],
            "quiet_services": quiet,
            "canonical": absolute(f"/{language}/"),
            **language_context(
                current=language,
                requested=language,
                existing={code for code, _ in settings.LANGUAGES},
                path_for=lambda code: f"/{code}/",
            ),
        }
        html = render_to_string("public/index.html", context)
    changed = selectors.site_last_changed()
    return Rendered(html.encode(), HTML, last_modified=changed, language=language)
