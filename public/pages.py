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
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from incidents.models import Evidence, Incident, IncidentUpdate, Source
from incidents.selectors import public as selectors
from incidents.selectors.translations import (
    LanguageChoice,
    incident_versions,
    localized,
    translations_for,
)
from incidents.selectors.updates import incident_next_update_due
from outagedesk.lib.sanitize import safe_url
from outagedesk.lib.times import human_time
from public.cache import Rendered
from public.chart import build_chart, chart_window
from public.labels import alternatives_for, official_links, source_label
from public.languages import language_context
from public.places import country_choices, region_name
from public.render import (
    HTML,
    JSON,
    absolute,
    duration_text,
    iso,
    script_json,
    site_context,
    status_line,
)
from public.service_state import TONE_RANK, recent_report_level, service_state


def state_version(state: selectors.IncidentState) -> str:
    raw = f"{state.status}|{state.impact}|{state.latest_update_id}|{state.update_count}|{state.changed_at.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _update_text(update: IncidentUpdate) -> str:
    return "\n\n".join(part for part in (update.message, update.advice) if part)


def _is_counter(item: Evidence) -> bool:
    return (
        item.signal_kind == Evidence.SignalKind.REPORTS or item.source.kind == Source.Kind.REPORTS
    )


def cited_sources(incident: Incident, update: IncidentUpdate, since) -> list[dict]:
    """What an update cites, as readers see it: each source by its public label, and for a
    report counter only its peak within the incident's own window (from its start to this
    update, or to the resolution), never the counter's text of another moment."""
    end = update.published_at
    if incident.resolved_at and incident.resolved_at < end:
        end = incident.resolved_at
    items, counters = [], set()
    for item in update.evidence.all():
        entry = {
            "label": source_label(item.source),
            "href": safe_url(item.url),
            "tier": item.source.tier,
            "excerpt": "",
        }
        if _is_counter(item):
            if item.source_id in counters:
                continue
            counters.add(item.source_id)
            peak = selectors.counter_peak(source_id=item.source_id, start=since, end=end)
            if peak:
                count = int(round(peak.count))
                entry["excerpt"] = ngettext(
                    "Peak during this incident: %(count)d report at %(time)s UTC",
                    "Peak during this incident: %(count)d reports at %(time)s UTC",
                    count,
                ) % {"count": count, "time": human_time(peak.at, incident.language)}
        else:
            entry["excerpt"] = Truncator(item.title or item.text).chars(140)
        items.append(entry)
    return items


def affected_lines(incident: Incident) -> list[str]:
    """What the incident affects, one phrase per affected service, in the active language:
    "WhatsApp: Messages, Calls", "All of Instagram". A single service names only components,
    as the page's heading already names the service."""
    named = list(incident.components.all())
    services = incident.affected_services()
    lines = []
    for service in services:
        own = [c.name for c in named if c.service_id == service.pk]
        if not own:
            lines.append(gettext("All of %(service)s") % {"service": service.name})
        elif len(services) == 1:
            lines.append(", ".join(own))
        else:
            lines.append(f"{service.name}: {', '.join(own)}")
    return lines


def _jsonld(
    incident, updates, faq, canonical, description, since, last, language
) -> list[SafeString]:
    live = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": canonical,
        "url": canonical,
        "headline": incident.shown_title,
        "description": description,
        "inLanguage": language,
        "datePublished": iso(since),
        "dateModified": iso(last),
        "coverageStartTime": iso(since),
        "about": [{"@type": "Thing", "name": s.name} for s in incident.affected_services()],
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
    for update in updates:
        # A per-render attribute the template reads, not a model field.
        update.public_sources = cited_sources(incident, update, since)
    resolved = incident.status == Incident.Status.RESOLVED and incident.resolved_at
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
        "affected_services": incident.affected_services(),
        "affected_lines": affected_lines(incident),
        "regions": regions,
        "since": since,
        "last_updated": last,
        "resolved_at": incident.resolved_at if resolved else None,
        "duration": duration_text(since, incident.resolved_at) if resolved else "",
        "next_update_by": incident_next_update_due(incident) if incident.is_active else None,
        "reporting_open": incident.is_active,
        "card_url": absolute(f"{incident.get_absolute_url()}card.png"),
        "latest_advice": latest_advice,
        "alternatives": alternatives_for(incident.service),
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
    """Every tracked service with its state in words and colour (each linking to its page),
    those with a live incident first with its latest update, then the recent incidents."""
    now = timezone.now()
    with translation.override(language):
        active = selectors.active_public_incidents()
        recent = selectors.recent_public_incidents(limit=20)
        latest = selectors.updates_for_incidents([i.pk for i in [*active, *recent]])
        versions = translations_for(u for group in latest.values() for u in group)
        # Each update in the page's language when it has that version.
        latest = {pk: localized(group, language, versions) for pk, group in latest.items()}
        services = [
            service_state(
                service=service,
                active=[i for i in active if service in i.affected_services()],
                updates=latest,
                reports=recent_report_level(service, now),
            )
            for service in selectors.tracked_services()
        ]
        # Services with a live incident first, then those readers report trouble with, the
        # worst first; the others in name order.
        services.sort(
            key=lambda s: (
                s.incident is None,
                -TONE_RANK.get(s.status.tone, 0),
                s.service.name.lower(),
            )
        )
        context = {
            **site_context(),
            "recent": [
                {
                    "incident": i,
                    "latest": next(iter(latest.get(i.pk, [])), None),
                    "service_names": ", ".join(s.name for s in i.affected_services()),
                }
                for i in recent
            ],
            "services": services,
            "language": language,
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
