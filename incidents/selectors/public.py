"""What readers may see: public incidents, their published updates and FAQ, and the status of
every tracked component derived from the active incidents.

Only incidents marked public and in a status readers know (investigating, identified, monitoring,
resolved) exist here: the detector's suspected drafts and dismissed false alarms never leave the
newsroom, not even as a 404 that differs from an unknown slug.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.db.models import F, Max, Prefetch, Q, QuerySet

from incidents.models import Component, Evidence, FAQEntry, Incident, IncidentUpdate, Service
from incidents.selectors.updates import with_next_update_due

PUBLIC_STATUSES = (
    Incident.Status.INVESTIGATING,
    Incident.Status.IDENTIFIED,
    Incident.Status.MONITORING,
    Incident.Status.RESOLVED,
)
ACTIVE_STATUSES = tuple(Incident.ACTIVE_STATUSES)

IMPACT_RANK: dict[str, int] = {
    Incident.Impact.NONE: 0,
    Incident.Impact.MINOR: 1,
    Incident.Impact.MAJOR: 2,
    Incident.Impact.CRITICAL: 3,
}
# Statuspage's component vocabulary, from the least to the most severe.
COMPONENT_STATUSES = ("operational", "degraded_performance", "partial_outage", "major_outage")
COMPONENT_STATUS_BY_IMPACT: dict[str, str] = {
    Incident.Impact.NONE: "operational",
    Incident.Impact.MINOR: "degraded_performance",
    Incident.Impact.MAJOR: "partial_outage",
    Incident.Impact.CRITICAL: "major_outage",
}


def _ordered_components() -> QuerySet[Component]:
    return Component.objects.order_by("position")


# What listing an incident with its affected services and components needs, prefetched.
AFFECTED_PREFETCH = (
    Prefetch("components", queryset=_ordered_components()),
    Prefetch("services", queryset=Service.objects.order_by("name")),
    Prefetch("services__components", queryset=_ordered_components()),
    Prefetch("service__components", queryset=_ordered_components()),
)


def public_incidents() -> QuerySet[Incident]:
    return Incident.objects.filter(is_public=True, status__in=PUBLIC_STATUSES).select_related(
        "service"
    )


def affecting_services(*, service_slugs: Iterable[str]) -> Q:
    """Incidents affecting any of these services: as their primary service or as another one.
    The one definition of "the incidents of service X" every public read uses."""
    slugs = list(service_slugs)
    others = Incident.services.through.objects.filter(service__slug__in=slugs).values("incident_id")
    return Q(service__slug__in=slugs) | Q(pk__in=others)


def incidents_affecting(service: Service) -> QuerySet[Incident]:
    """The public incidents (active or past) that affect `service`, newest first, with their
    affected services and components prefetched: for the service page and its feed."""
    return (
        public_incidents()
        .filter(affecting_services(service_slugs=[service.slug]))
        .prefetch_related(*AFFECTED_PREFETCH)
        .order_by(F("started_at").desc(nulls_last=True), "-created_at")
    )


def public_incident_get(slug: str) -> Incident | None:
    return public_incidents().prefetch_related(*AFFECTED_PREFETCH).filter(slug=slug).first()


def public_incident_current_slug(old_slug: str) -> str | None:
    """The address a public incident has now, when `old_slug` is one it had before a rename."""
    return (
        public_incidents()
        .filter(slug_aliases__slug=old_slug)
        .values_list("slug", flat=True)
        .first()
    )


def active_public_incidents(*, service_slugs: Iterable[str] | None = None) -> list[Incident]:
    """Active public incidents, the most severe first, then the most recently changed."""
    # Annotated with the newsroom's promise of a next update: banner, API and feeds list it
    # without a query per incident.
    queryset = with_next_update_due(public_incidents().filter(status__in=ACTIVE_STATUSES))
    if service_slugs is not None:
        queryset = queryset.filter(affecting_services(service_slugs=service_slugs))
    incidents = list(queryset.prefetch_related(*AFFECTED_PREFETCH))
    incidents.sort(key=lambda i: (-IMPACT_RANK.get(i.impact, 0), -i.updated_at.timestamp()))
    return incidents


def recent_public_incidents(*, limit: int = 20, exclude_active: bool = True) -> list[Incident]:
    queryset = public_incidents()
    if exclude_active:
        queryset = queryset.exclude(status__in=ACTIVE_STATUSES)
    return list(
        queryset.prefetch_related(*AFFECTED_PREFETCH).order_by(
            F("started_at").desc(nulls_last=True), "-created_at"
        )[:limit]
    )


def public_updates(incident: Incident) -> list[IncidentUpdate]:
    """Published updates, newest first, with what each cites and which later update corrects it."""
    return list(
        IncidentUpdate.objects.filter(incident=incident, status__in=PUBLIC_STATUSES)
        .select_related("corrects")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("source").order_by("observed_at"),
            ),
            Prefetch("corrections", queryset=IncidentUpdate.objects.order_by("published_at")),
        )
        .order_by("-published_at", "-id")
    )


def updates_for_incidents(incident_ids: Iterable[int]) -> dict[int, list[IncidentUpdate]]:
    """Published updates of several incidents (newest first), in one query."""
    grouped: dict[int, list[IncidentUpdate]] = {}
    rows = IncidentUpdate.objects.filter(
        incident_id__in=list(incident_ids), status__in=PUBLIC_STATUSES
    ).order_by("-published_at", "-id")
    for update in rows:
        grouped.setdefault(update.incident_id, []).append(update)
    return grouped


def latest_updates(
    *, limit: int = 50, service_slugs: Iterable[str] | None = None
) -> list[IncidentUpdate]:
    """The most recent published updates of all public incidents (for the site-wide feeds), or
    of the incidents affecting these services (a service's feed)."""
    updates = IncidentUpdate.objects.filter(
        incident__is_public=True,
        incident__status__in=PUBLIC_STATUSES,
        status__in=PUBLIC_STATUSES,
    )
    if service_slugs is not None:
        affecting = public_incidents().filter(affecting_services(service_slugs=service_slugs))
        updates = updates.filter(incident__in=affecting.values("pk"))
    return list(
        updates.select_related("incident", "incident__service")
        .prefetch_related(Prefetch("incident__services", queryset=Service.objects.order_by("name")))
        .order_by("-published_at", "-id")[:limit]
    )


def incident_faq(incident: Incident, *, language: str | None = None) -> list[FAQEntry]:
    """The incident's published FAQ entries in `language` (default: the incident's): a page is
    in one language, so entries in another are left for that language's page."""
    entries = list(
        FAQEntry.objects.filter(incident=incident, is_published=True)
        .exclude(answer="")
        .order_by("position", "id")
    )
    return [e for e in entries if e.language == (language or incident.language)]


def tracked_services() -> list[Service]:
    return list(
        Service.objects.filter(is_active=True).prefetch_related(
            Prefetch("components", queryset=Component.objects.order_by("position"))
        )
    )


def affected_components(incident: Incident) -> list[Component]:
    """The components an incident affects, service by service (the primary first): those it
    names of each affected service, or all of a service's components when it names none of
    them (that service is down as a whole). Reads the prefetch of AFFECTED_PREFETCH if made."""
    named = list(incident.components.all())
    affected: list[Component] = []
    for service in incident.affected_services():
        own = [c for c in named if c.service_id == service.pk]
        affected.extend(own or sorted(service.components.all(), key=lambda c: (c.position, c.pk)))
    return affected


def component_status_for_impact(impact: str) -> str:
    return COMPONENT_STATUS_BY_IMPACT.get(impact, "operational")


def worst_component_status(statuses: Iterable[str]) -> str:
    ranked = [COMPONENT_STATUSES.index(s) for s in statuses if s in COMPONENT_STATUSES]
    return COMPONENT_STATUSES[max(ranked)] if ranked else "operational"


def component_statuses(active: Iterable[Incident]) -> dict[int, str]:
    """Component id → Statuspage status, the worst any active incident implies."""
    statuses: dict[int, str] = {}
    for incident in active:
        implied = component_status_for_impact(incident.impact)
        for component in affected_components(incident):
            statuses[component.pk] = worst_component_status(
                [statuses.get(component.pk, "operational"), implied]
            )
    return statuses


def worst_impact(incidents: Iterable[Incident]) -> str:
    impacts = [i.impact for i in incidents]
    if not impacts:
        return Incident.Impact.NONE
    return max(impacts, key=lambda impact: IMPACT_RANK.get(impact, 0))


@dataclass(frozen=True)
class IncidentState:
    """What the open incident page compares against to know a reload is due."""

    status: str
    impact: str
    latest_update_id: int | None
    update_count: int
    changed_at: datetime


def incident_state(incident: Incident) -> IncidentState:
    updates = IncidentUpdate.objects.filter(incident=incident, status__in=PUBLIC_STATUSES)
    aggregate = updates.aggregate(latest=Max("published_at"))
    latest = updates.order_by("-published_at", "-id").values_list("id", flat=True).first()
    changed = max(filter(None, [incident.updated_at, aggregate["latest"]]))
    faq_changed = FAQEntry.objects.filter(incident=incident).aggregate(m=Max("updated_at"))["m"]
    if faq_changed and faq_changed > changed:
        changed = faq_changed
    return IncidentState(
        status=incident.status,
        impact=incident.impact,
        latest_update_id=latest,
        update_count=updates.count(),
        changed_at=changed,
    )


def site_last_changed() -> datetime | None:
    """When anything public last changed, for the API's page.updated_at."""
    incidents = public_incidents().aggregate(m=Max("updated_at"))["m"]
    updates = IncidentUpdate.objects.filter(
        incident__is_public=True, incident__status__in=PUBLIC_STATUSES
    ).aggregate(m=Max("published_at"))["m"]
    moments = [m for m in (incidents, updates) if m]
    return max(moments) if moments else None


@dataclass(frozen=True)
class CounterPeak:
    count: float
    at: datetime


def counter_peak(*, source_id: int, start: datetime, end: datetime) -> CounterPeak | None:
    """The highest count a report counter gave between `start` and `end`: the only figure of
    a counter readers see beside an update, so it always belongs to the incident's own window
    (never a point from before it started, nor the counter's level of later)."""
    row = (
        Evidence.objects.filter(
            source_id=source_id,
            signal_kind=Evidence.SignalKind.REPORTS,
            signal_value__isnull=False,
            observed_at__gte=start,
            observed_at__lte=end,
        )
        .order_by("-signal_value", "observed_at")
        .values_list("signal_value", "observed_at")
        .first()
    )
    if row is None:
        return None
    # signal_value__isnull=False above: the stubs cannot know the filter leaves no None.
    return CounterPeak(count=cast(float, row[0]), at=row[1])
