"""Renderer of a service's "is it down?" page (`/services/<slug>/`): its state right now in words
and colour, the live incident's latest update, the components, the reports of the last 24 hours
against the usual level, the "down for me" form (always open: reports made before any incident
is public are how the newsroom hears first), official links, alternatives and the service-wide
FAQ.

A renderer of the public pipeline (public/cache.py ← public/render.py ← here ← documents): it
turns the database into a `Rendered` body and knows nothing of keys, caching or HTTP. It is
rendered without the request, in one language given by the caller (the reader's, from Django's
active language): every label is in that language, and content written in another (an update)
is marked with its own `lang`.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from incidents.detection.stats import BUCKET
from incidents.models import FAQEntry, Incident, Service
from incidents.placeholders import (
    placeholders_fill_for_service,
    placeholders_fill_from,
    placeholders_left,
)
from incidents.selectors import public as selectors
from incidents.selectors.service_page import public_service_get, service_faq, service_last_changed
from incidents.selectors.signals import bucket_floor, signal_series
from incidents.selectors.translations import localized, translations_for
from outagedesk.lib.sanitize import safe_url
from public import card
from public.cache import Rendered
from public.chart import Chart, chart_from_points
from public.labels import alternatives_for, official_links
from public.languages import language_context
from public.places import country_choices
from public.render import HTML, absolute, iso, script_json, site_context
from public.service_state import ServiceState, report_level, service_state

CHART_SPAN = timedelta(hours=24)
PAST_INCIDENTS = 5

# Statuspage's component vocabulary in a reader's words, with the colour of each.
COMPONENT_STATES = {
    "operational": (pgettext_lazy("component state", "Working"), "ok"),
    "degraded_performance": (pgettext_lazy("component state", "Slow or patchy"), "warn"),
    "partial_outage": (pgettext_lazy("component state", "Partly down"), "bad"),
    "major_outage": (pgettext_lazy("component state", "Down"), "critical"),
}


def _components(service: Service, active: list[Incident]) -> list[dict]:
    statuses = selectors.component_statuses(active)
    rows = []
    for component in service.components.all():
        label, tone = COMPONENT_STATES[statuses.get(component.pk, "operational")]
        rows.append({"name": component.name, "state": str(label), "tone": tone})
    return rows


def _faq(service: Service, language: str, live: Incident | None) -> list[dict]:
    """The service-wide answers, filled from the live incident when there is one (as its own
    FAQ is), from the service alone otherwise; an answer that would still show a placeholder
    needing an incident ("{since}") is left out rather than shown half-filled."""
    entries = []
    for entry in service_faq(service, language):
        entries.append(_filled(entry, service=service, language=language, live=live))
    return [e for e in entries if not placeholders_left(e["question"] + e["answer"])]


def _filled(entry: FAQEntry, *, service: Service, language: str, live: Incident | None) -> dict:
    def fill(text: str) -> str:
        if live is not None:
            return placeholders_fill_from(text, incident=live, language=language, lasting=True)
        return placeholders_fill_for_service(text, service=service, language=language)

    return {"question": fill(entry.question), "answer": fill(entry.answer)}


def _chart_figures(points) -> tuple[Chart | None, bool]:
    """The chart, and whether it says anything: with no report and no usual level yet (a
    service just added), the page says "not enough data yet" instead of drawing a flat line."""
    chart = chart_from_points(points)
    has_data = chart is not None and (chart.total > 0 or any(p.baseline for p in points))
    return chart, has_data


def _jsonld(*, title, description, canonical, language, modified, service, faq) -> list[SafeString]:
    page = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": canonical,
        "url": canonical,
        "name": title,
        "description": description,
        "inLanguage": language,
        "dateModified": iso(modified),
        "about": {"@type": "Thing", "name": service.name},
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
    }
    blocks = [script_json(page)]
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
                            "name": entry["question"],
                            "acceptedAnswer": {"@type": "Answer", "text": entry["answer"]},
                        }
                        for entry in faq
                    ],
                }
            )
        )
    return blocks


def _description(state: ServiceState) -> str:
    if state.latest is not None:
        summary = state.latest.message
    else:
        summary = _(
            "Live status of %(service)s: reports of the last 24 hours against the usual level, "
            "official links and what to do."
        ) % {"service": state.service.name}
    return Truncator(f"{state.status.text}. {summary}").chars(200)


def service_state_now(
    service: Service, now: datetime
) -> tuple[ServiceState, list[Incident], dict, list]:
    """The service's state as its page shows it now: (state, live incidents, their updates,
    the report points of the last 24 hours). Shared by the page and its social card."""
    active = selectors.active_public_incidents(service_slugs=[service.slug])
    updates = selectors.updates_for_incidents([i.pk for i in active])
    # Each update in the active language (the page's) when it has that version, as on the home
    # page; one that does not is shown marked with its own language.
    language = translation.get_language() or settings.LANGUAGE_CODE
    versions = translations_for(u for group in updates.values() for u in group)
    updates = {pk: localized(group, language, versions) for pk, group in updates.items()}
    # Up to the end of the current 5-minute bucket: a report made a minute ago counts already.
    end = bucket_floor(now) + BUCKET
    points = signal_series(service=service, start=end - CHART_SPAN, end=end)
    state = service_state(
        service=service, active=active, updates=updates, reports=report_level(points)
    )
    return state, active, updates, points


def _service_path(service: Service, language: str) -> str:
    with translation.override(language):
        return reverse("public_pages:service", args=[service.slug])


def service_context(service: Service, language: str, now: datetime) -> dict:
    state, active, updates, points = service_state_now(service, now)
    # Past incidents of this service, including those where it was not the primary one.
    recent = [
        incident
        for incident in selectors.recent_public_incidents(limit=50)
        if service in incident.affected_services()
    ][:PAST_INCIDENTS]
    live = state.incident
    chart, has_chart_data = _chart_figures(points)
    faq = _faq(service, language, live)
    path = reverse("public_pages:service", args=[service.slug])
    canonical = absolute(path)
    title = _("Is %(service)s down?") % {"service": service.name}
    description = _description(state)
    changed = service_last_changed(service)
    modified = max(filter(None, [changed, bucket_floor(now)]))
    since = None
    if live is not None:
        published = updates.get(live.pk, [])
        since = live.started_at or (published[-1].published_at if published else live.created_at)
    return {
        **site_context(),
        "service": service,
        "state": state,
        "live": live,
        "latest": state.latest,
        "since": since,
        "other_live": active[1:],
        "components": _components(service, active),
        "chart": chart if has_chart_data else None,
        "reports": state.reports,
        "report_components": list(service.components.all()),
        "countries": country_choices(),
        "alternatives": alternatives_for(service),
        "official_links": [(label, safe_url(url)) for label, url in official_links(service)],
        "faq": faq,
        "past_incidents": recent,
        "path": path,
        "canonical": canonical,
        "card_url": absolute(reverse("public_pages:service-card", args=[service.slug])),
        "page_title": title,
        "description": description,
        "language": language,
        # Every service page exists in both languages: the switch and the alternates.
        **language_context(
            current=language,
            requested=language,
            existing={code for code, _name in settings.LANGUAGES},
            path_for=lambda code: _service_path(service, code),
        ),
        "modified": modified,
        "jsonld": _jsonld(
            title=title,
            description=description,
            canonical=canonical,
            language=language,
            modified=modified,
            service=service,
            faq=faq,
        ),
    }


def render_service_page(slug: str, language: str) -> Rendered:
    """The page of a tracked service in `language`; an unknown or archived one is a 404."""
    service = public_service_get(slug)
    if service is None:
        raise Http404("No such tracked service")
    now = timezone.now()
    with translation.override(language):
        context = service_context(service, language, now)
        html = render_to_string("public/service.html", context)
    return Rendered(html.encode(), HTML, last_modified=context["modified"], language=language)


def render_service_card(slug: str, language: str) -> Rendered:
    """The social card of a service's page (og:image), in `language`: its state in words and
    colour, its name and when it last changed. Drawn lazily through the cache, like an
    incident's card."""
    service = public_service_get(slug)
    if service is None:
        raise Http404("No such tracked service")
    now = timezone.now()
    with translation.override(language):
        state, _active, _updates, _points = service_state_now(service, now)
        changed = service_last_changed(service) or now
        drawn = card.service_card(
            service, status=state.status.text, tone=state.status.tone, updated_at=changed
        )
        body = card.render_png(drawn)
    return Rendered(body, card.PNG, last_modified=changed, language=language)
