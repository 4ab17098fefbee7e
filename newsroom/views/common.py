"""Helpers shared by the newsroom views: loading an incident, reading inbox filters and
assembling the workspace page from its partials."""

from urllib.parse import urlencode

from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from incidents.models import Evidence, Incident, Source
from incidents.selectors.newsroom import (
    InboxFilters,
    inbox_page,
    incident_faq,
    incident_light,
    incident_timeline,
    workspace_incident,
)
from incidents.services.faq import faq_version
from newsroom.charts import breakdown, signal_chart
from newsroom.composer import composer_context
from newsroom.forms import FAQAddForm, FAQEntryForm, InboxFilterForm, IncidentStateForm

WORKSPACE = "newsroom/workspace.html"


def get_incident(pk: int, *, light: bool = False) -> Incident:
    incident = incident_light(pk) if light else workspace_incident(pk)
    if incident is None:
        raise Http404("No such incident")
    return incident


def read_filters(request: HttpRequest) -> tuple[InboxFilters, InboxFilterForm]:
    form = InboxFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    filters = InboxFilters(
        tier=data.get("tier") or "",
        component=data.get("component") or "",
        region=data.get("region") or "",
        state=data.get("state") or "",
    )
    return filters, form


def filter_links(incident: Incident, filters: InboxFilters, regions: list[str]) -> dict:
    """Each filter is a link (href for the page, hx-get for the inbox fragment)."""
    workspace_url = reverse("newsroom:workspace", args=[incident.pk])
    inbox_url = reverse("newsroom:inbox", args=[incident.pk])

    def link(name: str, value: str, label) -> dict:
        query = {**filters.as_query(), name: value}
        if not value:
            query.pop(name)
        encoded = urlencode(query)
        return {
            "label": label,
            "active": getattr(filters, name) == value,
            "href": f"{workspace_url}?{encoded}" if encoded else workspace_url,
            "hx": f"{inbox_url}?{encoded}" if encoded else inbox_url,
        }

    everything = _("All")
    return {
        "tier": [link("tier", "", everything)]
        + [link("tier", value, label) for value, label in Source.Tier.choices],
        "state": [link("state", "", everything)]
        + [link("state", value, label) for value, label in Evidence.State.choices],
        "component": [link("component", "", everything)]
        + [link("component", c.slug, c.name) for c in incident.service.components.all()],
        "region": [link("region", "", everything)]
        + [link("region", region, region) for region in regions],
    }


def inbox_context(incident: Incident, filters: InboxFilters, cursor: str = "") -> dict:
    page = inbox_page(incident=incident, filters=filters, cursor=cursor)
    query = urlencode(filters.as_query())
    return {
        "page": page,
        "filters": filters,
        "filter_query": query,
        "after_id": page.latest_id,
    }


def region_choices(incident: Incident, region_shares) -> list[str]:
    regions = list(incident.regions or [])
    for share in region_shares:
        if share.key not in regions:
            regions.append(share.key)
    return regions[:12]


def state_context(incident: Incident, form: IncidentStateForm | None = None, **extra) -> dict:
    if form is None:
        form = IncidentStateForm(initial=IncidentStateForm.initial_for(incident), incident=incident)
    return {"state_form": form, **extra}


def faq_context(incident: Incident, overrides: dict | None = None) -> dict:
    """One form per entry; `overrides` replaces the form of an entry (kept text, errors)."""
    overrides = overrides or {}
    entries = []
    for entry in incident_faq(incident):
        form = overrides.get(entry.pk) or FAQEntryForm(
            initial={
                "question": entry.question,
                "answer": entry.answer,
                "version": faq_version(entry),
            },
            prefix=f"faq{entry.pk}",
        )
        entries.append({"entry": entry, "form": form})
    return {"faq_entries": entries, "faq_add_form": FAQAddForm(prefix="faqnew")}


def workspace_context(
    request: HttpRequest,
    incident: Incident,
    *,
    filters: InboxFilters | None = None,
    cursor: str = "",
    state: dict | None = None,
    composer: dict | None = None,
    faq: dict | None = None,
) -> dict:
    filters = filters or InboxFilters()
    component_shares = breakdown(incident, "component")
    region_shares = breakdown(incident, "region")
    context = {
        "incident": incident,
        "chart": signal_chart(incident),
        "component_shares": component_shares,
        "region_shares": region_shares,
        "filter_links": filter_links(incident, filters, region_choices(incident, region_shares)),
        "timeline": incident_timeline(incident),
        **inbox_context(incident, filters, cursor),
        **(state if state is not None else state_context(incident)),
        **(
            composer
            if composer is not None
            else composer_context(user=request.user, incident=incident)
        ),
        **(faq if faq is not None else faq_context(incident)),
    }
    return context


def render_workspace(request: HttpRequest, incident: Incident, *, status: int = 200, **parts):
    return render(request, WORKSPACE, workspace_context(request, incident, **parts), status=status)
