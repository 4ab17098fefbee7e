"""Renderer of the read API, in the shape of Atlassian Statuspage's public API v2.
A renderer of the public pipeline (public/render.py ← here ← public/documents.py).

Field names, key order and enums follow real Statuspage responses (see the recorded
`statuspage_*.json` fixtures), so existing status-page clients and aggregators read OutageDesk
unchanged. Each tracked service is a component group; its components are the group's components.
A component's status is the worst one implied by the active incidents that affect it:
impact minor → degraded_performance, major → partial_outage, critical → major_outage.
Our `suspected` and `dismissed` incidents never appear (they are not public).
"""

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import translation

from incidents.models import Component, Incident, IncidentUpdate, Service
from incidents.selectors import public as selectors
from incidents.selectors.translations import localized, translations_for
from public.cache import Rendered
from public.render import JSON, json_body

DOCUMENTS = ("summary", "status", "components", "incidents", "unresolved")
INDICATOR_DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}
RECENT_INCIDENTS = 50


def page_id() -> str:
    return hashlib.sha256(settings.SITE_URL.encode()).hexdigest()[:12]


def timestamp(moment: datetime | None) -> str | None:
    """Statuspage's format: the page's time zone, milliseconds and offset."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="milliseconds")


def group_id(service: Service) -> str:
    return f"svc{service.pk}"


def component_id(component: Component) -> str:
    return f"cmp{component.pk}"


class Snapshot:
    """Everything the API documents are built from, read once per render."""

    def __init__(self) -> None:
        self.services = selectors.tracked_services()
        self.service_by_pk = {service.pk: service for service in self.services}
        self.active = selectors.active_public_incidents()
        self.statuses = selectors.component_statuses(self.active)
        self.changed_at = selectors.site_last_changed()
        self._component_changes = self._component_changed_at()
        # Statuspage numbers groups and components in one sequence, in display order.
        self.positions: dict[str, int] = {}
        for service in self.services:
            self.positions[group_id(service)] = len(self.positions) + 1
            for component in service.components.all():
                self.positions[component_id(component)] = len(self.positions) + 1

    def _component_changed_at(self) -> dict[int, datetime]:
        """Component id → when a public incident affecting it last changed. An incident naming
        no component of one of its affected services affects all of that service's."""
        public = selectors.public_incidents()
        changed: dict[int, datetime] = {}

        def touch(component: int, moment: datetime) -> None:
            if component not in changed or moment > changed[component]:
                changed[component] = moment

        named = Incident.components.through.objects.filter(incident__in=public).values_list(
            "incident_id", "component__service_id", "component_id", "incident__updated_at"
        )
        named_services: set[tuple[int, int]] = set()
        for incident_pk, service_pk, component_pk, moment in named:
            named_services.add((incident_pk, service_pk))
            touch(component_pk, moment)
        pairs = list(public.values_list("pk", "service_id", "updated_at"))
        pairs += Incident.services.through.objects.filter(incident__in=public).values_list(
            "incident_id", "service_id", "incident__updated_at"
        )
        by_service: dict[int, datetime] = {}
        for incident_pk, service_pk, moment in pairs:
            if (incident_pk, service_pk) in named_services:
                continue
            if service_pk not in by_service or moment > by_service[service_pk]:
                by_service[service_pk] = moment
        for service in self.services:
            service_moment = by_service.get(service.pk)
            if service_moment is None:
                continue
            for component in service.components.all():
                touch(component.pk, service_moment)
        return changed

    def page(self) -> dict:
        return {
            "id": page_id(),
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
            "time_zone": settings.TIME_ZONE,
            "updated_at": timestamp(self.changed_at or _epoch()),
        }

    def status(self) -> dict:
        indicator = selectors.worst_impact(self.active)
        return {"indicator": indicator, "description": INDICATOR_DESCRIPTIONS[indicator]}

    def component(self, component: Component, service: Service) -> dict:
        return {
            "id": component_id(component),
            "name": component.name,
            "status": self.statuses.get(component.pk, "operational"),
            "created_at": timestamp(service.created_at),
            "updated_at": timestamp(self._component_changes.get(component.pk, service.created_at)),
            "position": self.positions.get(component_id(component), 1),
            "description": None,
            "showcase": True,
            "start_date": None,
            "group_id": group_id(service),
            "page_id": page_id(),
            "group": False,
            "only_show_if_degraded": False,
        }

    def components(self) -> list[dict]:
        documents = []
        for service in self.services:
            children = list(service.components.all())
            changes = [
                self._component_changes[c.pk] for c in children if c.pk in self._component_changes
            ]
            group = {
                "id": group_id(service),
                "name": service.name,
                "status": selectors.worst_component_status(
                    self.statuses.get(c.pk, "operational") for c in children
                ),
                "created_at": timestamp(service.created_at),
                "updated_at": timestamp(max(changes, default=service.created_at)),
                "position": self.positions[group_id(service)],
                "description": service.description or None,
                "showcase": False,
                "start_date": None,
                "group_id": None,
                "page_id": page_id(),
                "group": True,
                "only_show_if_degraded": False,
                "components": [component_id(c) for c in children],
            }
            documents.append(group)
            documents.extend(self.component(child, service) for child in children)
        return documents

    def incident(self, incident: Incident, updates: list[IncidentUpdate]) -> dict:
        affected = selectors.affected_components(incident)
        chronological = sorted(updates, key=lambda u: (u.published_at, u.pk))
        implied = selectors.component_status_for_impact(incident.impact)
        transitions: dict[int, dict] = {}
        previous = "operational"
        for update in chronological:
            new = "operational" if update.status == Incident.Status.RESOLVED else implied
            transitions[update.pk] = {"old": previous, "new": new}
            previous = new
        monitoring = [u.published_at for u in chronological if u.status == "monitoring"]
        resolved_updates = [u.published_at for u in chronological if u.status == "resolved"]
        is_resolved = incident.status == Incident.Status.RESOLVED
        latest = chronological[-1].published_at if chronological else None
        created = min(filter(None, [incident.created_at, incident.started_at]))
        return {
            "id": incident.slug,
            "name": (self.language and incident.title_in(self.language)) or incident.title,
            "status": incident.status,
            "created_at": timestamp(created),
            "updated_at": timestamp(max(filter(None, [incident.updated_at, latest]))),
            "monitoring_at": timestamp(monitoring[0])
            if monitoring and incident.status in ("monitoring", "resolved")
            else None,
            "resolved_at": timestamp(
                incident.resolved_at or (resolved_updates[0] if resolved_updates else None)
            )
            if is_resolved
            else None,
            "impact": incident.impact,
            "shortlink": settings.SITE_URL + incident.get_absolute_url(self.language or None),
            "started_at": timestamp(incident.started_at or created),
            "page_id": page_id(),
            "incident_updates": [
                {
                    "id": f"upd{update.pk}",
                    "status": update.status,
                    "body": "\n\n".join(
                        part for part in (update.title, update.message, update.advice) if part
                    ),
                    "incident_id": incident.slug,
                    "created_at": timestamp(update.published_at),
                    "updated_at": timestamp(update.published_at),
                    "display_at": timestamp(update.published_at),
                    "affected_components": [
                        {
                            "code": component_id(component),
                            "name": component.name,
                            "old_status": transitions[update.pk]["old"],
                            "new_status": transitions[update.pk]["new"],
                        }
                        for component in affected
                    ],
                    "deliver_notifications": update.notify,
                    "custom_tweet": None,
                    "tweet_id": None,
                    # OutageDesk's one extra field (README, "Status API"): when this update
                    # promised the next one, or null. Clients that do not know it ignore it.
                    "next_update_by": timestamp(update.next_update_by),
                }
                for update in updates
            ],
            # Each affected component in its own service's group, every affected service's.
            "components": [
                self.component(component, self._service_of(component, incident))
                for component in affected
            ],
        }

    def _service_of(self, component: Component, incident: Incident) -> Service:
        known = self.service_by_pk.get(component.service_id)
        if known is not None:
            return known
        # An archived (untracked) service an older incident affected.
        affected = (s for s in incident.affected_services() if s.pk == component.service_id)
        return next(affected, None) or component.service

    # "" keeps each update in its own language (the primary document); "fr"/"en" (`?lang=`)
    # shows each update's version in that language where it has one. The shape never changes.
    language = ""

    def incidents(self, incidents: list[Incident]) -> list[dict]:
        updates = selectors.updates_for_incidents([i.pk for i in incidents])
        if self.language:
            versions = translations_for(u for group in updates.values() for u in group)
            updates = {pk: localized(g, self.language, versions) for pk, g in updates.items()}
        return [self.incident(i, updates.get(i.pk, [])) for i in incidents]


def _epoch() -> datetime:
    return datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def _recent_incidents() -> list[Incident]:
    return list(
        selectors.public_incidents()
        .prefetch_related(*selectors.AFFECTED_PREFETCH)
        .order_by(Coalesce("started_at", "created_at").desc(), "-pk")[:RECENT_INCIDENTS]
    )


def build(document: str, language: str = "") -> Rendered:
    """One of summary, status, components, incidents, unresolved; `language` as
    Snapshot.language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        snapshot = Snapshot()
        snapshot.language = language
        if document == "summary":
            data = {
                "page": snapshot.page(),
                "components": snapshot.components(),
                "incidents": snapshot.incidents(snapshot.active),
                "scheduled_maintenances": [],
                "status": snapshot.status(),
            }
        elif document == "status":
            data = {"page": snapshot.page(), "status": snapshot.status()}
        elif document == "components":
            data = {"page": snapshot.page(), "components": snapshot.components()}
        elif document == "incidents":
            data = {"page": snapshot.page(), "incidents": snapshot.incidents(_recent_incidents())}
        elif document == "unresolved":
            data = {"page": snapshot.page(), "incidents": snapshot.incidents(snapshot.active)}
        else:
            raise ValueError(f"unknown Statuspage document {document!r}")
    return Rendered(json_body(data), JSON, last_modified=snapshot.changed_at)
