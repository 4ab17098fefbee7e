"""Reads for the newsroom: the dashboard and the evidence inbox of an incident.

Every function here runs a fixed number of queries whatever the amount of evidence: the inbox
pages with a keyset cursor and counts with one conditional aggregate; the dashboard annotates
counts with subqueries instead of loading related rows.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from incidents.models import (
    DetectorState,
    Evidence,
    FAQEntry,
    Incident,
    IncidentUpdate,
    ResponseTemplate,
)
from incidents.selectors.updates import (
    NextUpdateState,
    incident_next_update,
    with_next_update_due,
)

Status = Incident.Status
INBOX_PAGE_SIZE = 50
# Evidence not yet attached to an incident shows in its inbox when observed in this window.
WINDOW_BEFORE = timedelta(hours=2)
WINDOW_AFTER = timedelta(hours=2)
RECENT_DAYS = 30
RECENT_LIMIT = 20


@dataclass(frozen=True)
class InboxFilters:
    tier: str = ""
    component: str = ""
    region: str = ""
    state: str = ""

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass(frozen=True)
class InboxPage:
    items: list[Evidence]
    next_cursor: str
    latest_id: int
    counts: dict[str, int]


def inbox_window(incident: Incident) -> tuple[datetime, datetime | None]:
    start = (incident.started_at or incident.created_at or timezone.now()) - WINDOW_BEFORE
    end = incident.resolved_at + WINDOW_AFTER if incident.resolved_at else None
    return start, end


def inbox_base(incident: Incident) -> QuerySet[Evidence]:
    """The incident's evidence, plus unattached evidence of its service in its time window.
    A report counter counts once: its rolling item is in the inbox, its points are not
    (`incidents.services.counters`), so the counts below count what an editor has to check."""
    start, end = inbox_window(incident)
    unattached = Q(incident__isnull=True, observed_at__gte=start)
    if end is not None:
        unattached &= Q(observed_at__lt=end)
    return Evidence.objects.filter(service_id=incident.service_id, in_inbox=True).filter(
        Q(incident=incident) | unattached
    )


def _json_member(value: str) -> str:
    # Hints are JSON lists of strings; as text, a member shows as its JSON-encoded string.
    # Casting to text works the same on SQLite (no JSON containment) and PostgreSQL.
    return json.dumps(value)


def _filtered(qs: QuerySet[Evidence], filters: InboxFilters) -> QuerySet[Evidence]:
    if filters.tier:
        qs = qs.filter(source__tier=filters.tier)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.component:
        qs = qs.alias(component_text=Cast("component_hints", TextField())).filter(
            component_text__contains=_json_member(filters.component)
        )
    if filters.region:
        qs = qs.alias(region_text=Cast("region_hints", TextField())).filter(
            region_text__icontains=_json_member(filters.region)
        )
    return qs


def _cursor(item: Evidence) -> str:
    moment = item.observed_at.astimezone(UTC)
    return f"{int(moment.timestamp())}.{moment.microsecond}.{item.pk}"


def _parse_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        seconds, micro, pk = (int(part) for part in cursor.split("."))
        moment = datetime.fromtimestamp(seconds, UTC) + timedelta(microseconds=micro)
    except (ValueError, OverflowError, OSError):
        return None
    return moment, pk


def _with_display(qs: QuerySet[Evidence]) -> QuerySet[Evidence]:
    return qs.select_related("source", "verified_by").order_by("-observed_at", "-id")


def inbox_counts(incident: Incident) -> dict[str, int]:
    """Counts per verification state and the newest id (the live poll starts after it)."""
    return inbox_base(incident).aggregate(
        total=Count("id"),
        unverified=Count("id", filter=Q(state=Evidence.State.UNVERIFIED)),
        verified=Count("id", filter=Q(state=Evidence.State.VERIFIED)),
        rejected=Count("id", filter=Q(state=Evidence.State.REJECTED)),
        latest_id=Coalesce(Max("id"), 0),
    )


def inbox_page(
    *,
    incident: Incident,
    filters: InboxFilters,
    cursor: str = "",
    limit: int = INBOX_PAGE_SIZE,
) -> InboxPage:
    """Newest first, `limit` items after `cursor`: three queries at any inbox size."""
    qs = _filtered(inbox_base(incident), filters)
    position = _parse_cursor(cursor) if cursor else None
    if position:
        moment, pk = position
        qs = qs.filter(Q(observed_at__lt=moment) | Q(observed_at=moment, id__lt=pk))
    items = list(_with_display(qs)[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    counts = inbox_counts(incident)
    return InboxPage(
        items=items,
        next_cursor=_cursor(items[-1]) if more and items else "",
        latest_id=counts.pop("latest_id"),
        counts=counts,
    )


def inbox_new(
    *, incident: Incident, filters: InboxFilters, after_id: int, limit: int = INBOX_PAGE_SIZE
) -> list[Evidence]:
    """Items that arrived after `after_id`, for the live poll: one query, usually empty."""
    qs = _filtered(inbox_base(incident), filters).filter(id__gt=after_id)
    return list(_with_display(qs)[:limit])


def inbox_item(*, incident: Incident, evidence_id: int) -> Evidence | None:
    return _with_display(inbox_base(incident).filter(pk=evidence_id)).first()


# --- Workspace -------------------------------------------------------------------------------


def workspace_incident(pk: int) -> Incident | None:
    return (
        Incident.objects.select_related("service", "service__detector_state")
        .prefetch_related("components", "service__components")
        .filter(pk=pk)
        .first()
    )


def incident_light(pk: int) -> Incident | None:
    """Just the incident and its service: enough for the live poll and the inbox actions."""
    return Incident.objects.select_related("service").filter(pk=pk).first()


def incident_timeline(incident: Incident) -> list[IncidentUpdate]:
    return list(
        incident.updates.select_related("author", "corrects").order_by("-published_at", "-id")
    )


def incident_faq(incident: Incident) -> list[FAQEntry]:
    return list(incident.faq_entries.select_related("updated_by").order_by("position", "id"))


def response_templates() -> list[ResponseTemplate]:
    return list(ResponseTemplate.objects.filter(is_active=True))


# --- Dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    suspected: list[Incident]
    active: list[Incident]
    recent: list[Incident]
    detectors: list[DetectorState]
    # Incidents whose promised next update is due within five minutes or overdue, most late first.
    next_updates_due: list[Incident] = field(default_factory=list)


def _dashboard_queryset() -> QuerySet[Incident]:
    verified = (
        Evidence.objects.filter(incident=OuterRef("pk"), state=Evidence.State.VERIFIED)
        .order_by()
        .values("incident")
        .annotate(n=Count("id"))
        .values("n")
    )
    update_count = (
        IncidentUpdate.objects.filter(incident=OuterRef("pk"))
        .order_by()
        .values("incident")
        .annotate(n=Count("id"))
        .values("n")
    )
    last_update = (
        IncidentUpdate.objects.filter(incident=OuterRef("pk"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    return (
        with_next_update_due(Incident.objects.select_related("service", "service__detector_state"))
        .prefetch_related("components")
        .annotate(
            verified_count=Coalesce(Subquery(verified, output_field=IntegerField()), 0),
            update_count=Coalesce(Subquery(update_count, output_field=IntegerField()), 0),
            last_update_at=Subquery(last_update),
        )
    )


def dashboard(*, now: datetime | None = None) -> Dashboard:
    """Detector drafts and active incidents first, then the recently closed ones."""
    now = now or timezone.now()
    qs = _dashboard_queryset()
    open_incidents = list(
        qs.filter(status__in=[Status.SUSPECTED, *Incident.ACTIVE_STATUSES]).order_by(
            "-started_at", "-created_at"
        )
    )
    recent = list(
        qs.filter(
            status__in=[Status.RESOLVED, Status.DISMISSED],
            updated_at__gte=now - timedelta(days=RECENT_DAYS),
        ).order_by("-updated_at")[:RECENT_LIMIT]
    )
    detectors = list(
        DetectorState.objects.select_related("service", "suspected_incident").order_by(
            "service__name"
        )
    )
    due: list[tuple[datetime, Incident]] = []
    for incident in [*open_incidents, *recent]:
        promise = incident_next_update(incident, now=now)
        # The dashboard's template reads the promise off each incident: not a model field.
        incident.next_update = promise  # type: ignore[attr-defined]
        if promise and promise.state != NextUpdateState.SCHEDULED:
            due.append((promise.at, incident))
    return Dashboard(
        suspected=[i for i in open_incidents if i.status == Status.SUSPECTED],
        active=[i for i in open_incidents if i.status != Status.SUSPECTED],
        recent=recent,
        detectors=detectors,
        next_updates_due=[incident for _, incident in sorted(due, key=lambda d: d[0])],
    )
