"""The evidence inbox: its filters, the page of items, the live poll and one decided item."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from incidents.models import Evidence, Incident, Source
from incidents.selectors.newsroom import (
    InboxFilters,
    inbox_counts,
    inbox_item,
    inbox_new,
    inbox_page,
)
from newsroom.charts import Share, breakdown
from newsroom.forms import InboxFilterForm

TEMPLATE = "newsroom/panels/inbox.html"
MAX_REGION_FILTERS = 12


@dataclass(frozen=True)
class InboxQuery:
    """What the address asks of the inbox: filters, and a page (cursor) or a poll (after)."""

    filters: InboxFilters
    cursor: str = ""
    after: int | None = None


def inbox_query(query: QueryDict) -> InboxQuery:
    """Read the inbox parameters; anything invalid falls back to the unfiltered inbox."""
    form = InboxFilterForm(query)
    data = form.cleaned_data if form.is_valid() else {}
    filters = InboxFilters(
        tier=data.get("tier") or "",
        component=data.get("component") or "",
        region=data.get("region") or "",
        state=data.get("state") or "",
    )
    return InboxQuery(filters=filters, cursor=data.get("cursor") or "", after=data.get("after"))


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


def region_choices(incident: Incident, region_shares: list[Share]) -> list[str]:
    """The incident's regions first, then those the signals mention."""
    regions = list(incident.regions or [])
    for share in region_shares:
        if share.key not in regions:
            regions.append(share.key)
    return regions[:MAX_REGION_FILTERS]


def inbox_list(incident: Incident, query: InboxQuery) -> dict:
    """One page of items with the counts: the list, and the "older items" fragment."""
    page = inbox_page(incident=incident, filters=query.filters, cursor=query.cursor)
    return {
        "incident": incident,
        "page": page,
        "filters": query.filters,
        "filter_query": urlencode(query.filters.as_query()),
        "after_id": page.latest_id,
    }


def inbox_panel(
    incident: Incident, query: InboxQuery, *, region_shares: list[Share] | None = None
) -> dict:
    """The whole panel. The full page passes the signals panel's region shares so the
    breakdown is read once; the fragment reads it itself."""
    if region_shares is None:
        region_shares = breakdown(incident, "region")
    return {
        **inbox_list(incident, query),
        "filter_links": filter_links(
            incident, query.filters, region_choices(incident, region_shares)
        ),
    }


def inbox_poll(incident: Incident, query: InboxQuery, *, after: int) -> dict | None:
    """Items newer than `after` with fresh counts, or None when nothing arrived."""
    items = inbox_new(incident=incident, filters=query.filters, after_id=after)
    if not items:
        return None
    counts = inbox_counts(incident)
    return {
        "incident": incident,
        "new_items": items,
        "filters": query.filters,
        "filter_query": urlencode(query.filters.as_query()),
        "after_id": max(after, counts.pop("latest_id"), *(item.pk for item in items)),
        "page": {"counts": counts},
    }


def evidence_decided(incident: Incident, evidence_id: int, *, error: str = "") -> dict:
    """One item after a verify / reject, and the counts it changed."""
    counts = inbox_counts(incident)
    counts.pop("latest_id")
    return {
        "incident": incident,
        "item": inbox_item(incident=incident, evidence_id=evidence_id),
        "item_error": error,
        "page": {"counts": counts},
    }
