"""Atlassian Statuspage public API v2: `summary.json` (page status, components, active
incidents) and `incidents.json` (recent incidents with their updates).

Each page status, component status and incident update is one item, keyed on its own id and
update time, so a page read every minute only adds items when something on it changed. The
detector reads the latest status per page, component and incident (see
`incidents.detection.official`), which is why `raw` carries `scope` and `scope_id`.

Config: `component_map` maps a status page component (id or name) to a component slug when the
names do not contain the component's keywords.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from incidents.collectors.base import (
    CollectContext,
    CollectedItem,
    dict_in,
    expect_dict,
    parse_time,
    short_key,
    text_of,
)
from incidents.models import Evidence
from outagedesk.lib.fetch import FetchBadContent

COMPONENT_SEVERITY = {
    "operational": 0.0,
    "under_maintenance": 0.5,
    "degraded_performance": 1.0,
    "partial_outage": 2.0,
    "major_outage": 3.0,
}
INDICATOR_SEVERITY = {"none": 0.0, "maintenance": 0.5, "minor": 1.0, "major": 2.0, "critical": 3.0}
MAJOR_COMPONENT_STATUSES = {"major_outage"}
MAJOR_INDICATORS = {"major", "critical"}
MAJOR_IMPACTS = {"major", "critical"}
CLOSED_INCIDENT_STATUSES = {"resolved", "postmortem", "completed"}


def _status_label(status: str) -> str:
    labels = {
        "operational": _("operational"),
        "under_maintenance": _("under maintenance"),
        "degraded_performance": _("degraded performance"),
        "partial_outage": _("partial outage"),
        "major_outage": _("major outage"),
    }
    return labels.get(status, status.replace("_", " "))


def _mapped_components(config: dict, *keys: str) -> list[str]:
    mapping = config.get("component_map")
    if not isinstance(mapping, dict):
        return []
    found = []
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, str) and value not in found:
            found.append(value)
    return found


def collect(ctx: CollectContext) -> list[CollectedItem]:
    response = ctx.fetch()
    if response is None:
        return []
    data = expect_dict(response.json(), "a Statuspage summary or incidents object")
    if not any(key in data for key in ("status", "components", "incidents")):
        raise FetchBadContent("unexpected response: not a Statuspage summary or incidents list")
    page = dict_in(data, "page")
    page_id = text_of(page.get("id")) or "page"
    page_name = text_of(page.get("name"))
    page_url = text_of(page.get("url"))
    items: list[CollectedItem] = []

    status = data.get("status")
    if isinstance(status, dict):
        indicator = text_of(status.get("indicator"))
        updated = text_of(page.get("updated_at"))
        items.append(
            CollectedItem(
                dedup_key=short_key("page", page_id, indicator, updated),
                signal_kind=Evidence.SignalKind.STATUS,
                url=page_url,
                title=f"{page_name}: {text_of(status.get('description'))}".strip(": "),
                published_at=parse_time(updated),
                status_text=indicator,
                signal_value=INDICATOR_SEVERITY.get(indicator),
                raw={
                    "scope": "page",
                    "scope_id": page_id,
                    "indicator": indicator,
                    "major": indicator in MAJOR_INDICATORS,
                },
            )
        )

    for component in data.get("components") or []:
        if not isinstance(component, dict) or component.get("group"):
            continue
        component_id = text_of(component.get("id"))
        name = text_of(component.get("name"))
        state = text_of(component.get("status"))
        if not component_id or not state:
            continue
        updated = text_of(component.get("updated_at"))
        mapped = _mapped_components(ctx.config, component_id, name)
        items.append(
            CollectedItem(
                dedup_key=short_key("component", component_id, state, updated),
                signal_kind=Evidence.SignalKind.STATUS,
                url=page_url,
                title=f"{name}: {_status_label(state)}",
                text=text_of(component.get("description")),
                published_at=parse_time(updated),
                status_text=state,
                signal_value=COMPONENT_SEVERITY.get(state),
                component_hints=mapped,
                hint_text=name,
                # A mapping written by staff is the whole truth about that component.
                match_hints=not mapped,
                raw={
                    "scope": "component",
                    "scope_id": component_id,
                    "name": name,
                    "major": state in MAJOR_COMPONENT_STATUSES,
                },
            )
        )

    for incident in data.get("incidents") or []:
        if isinstance(incident, dict):
            items.extend(_incident_items(ctx, incident, page_url))
    return items


def _incident_items(ctx: CollectContext, incident: dict, page_url: str) -> list[CollectedItem]:
    incident_id = text_of(incident.get("id"))
    if not incident_id:
        return []
    impact = text_of(incident.get("impact"))
    incident_status = text_of(incident.get("status"))
    is_open_major = impact in MAJOR_IMPACTS and incident_status not in CLOSED_INCIDENT_STATUSES
    link = text_of(incident.get("shortlink")) or page_url
    items = []
    for update in incident.get("incident_updates") or []:
        if not isinstance(update, dict) or not text_of(update.get("id")):
            continue
        affected = [a for a in update.get("affected_components") or [] if isinstance(a, dict)]
        names = [text_of(a.get("name")) for a in affected]
        codes = [text_of(a.get("code")) for a in affected]
        when = text_of(update.get("display_at")) or text_of(update.get("created_at"))
        update_status = text_of(update.get("status"))
        items.append(
            CollectedItem(
                dedup_key=short_key("update", update["id"]),
                signal_kind=Evidence.SignalKind.STATUS,
                url=link,
                title=text_of(incident.get("name")),
                text=text_of(update.get("body")),
                published_at=parse_time(when),
                status_text=update_status,
                signal_value=INDICATOR_SEVERITY.get(impact),
                component_hints=_mapped_components(ctx.config, *codes, *names),
                raw={
                    "scope": "incident",
                    "scope_id": incident_id,
                    "impact": impact,
                    "incident_status": incident_status,
                    "affected": [
                        {"name": text_of(a.get("name")), "status": text_of(a.get("new_status"))}
                        for a in affected
                    ],
                    "major": is_open_major,
                },
                hint_text=", ".join(n for n in names if n),
            )
        )
    return items
