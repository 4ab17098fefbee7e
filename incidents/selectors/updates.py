"""The newsroom's promise of a next update: when readers will hear more about an incident.

Each published update may carry `next_update_by` (set by the composer: 30 minutes after
publication by default, none on a resolution). The incident's promise is the one of its latest
update: a new update keeps the promise or replaces it, so "overdue" lasts until the next
publication. One rule, one home: the newsroom's dashboard and the public pages, banner, API and
feeds all read it from here.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from incidents.models import Incident, IncidentUpdate

# The dashboard warns the editor this long before the promised time.
DUE_SOON = timedelta(minutes=5)
ANNOTATION = "next_update_due_at"


class NextUpdateState:
    SCHEDULED = "scheduled"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class NextUpdate:
    at: datetime
    state: str

    @property
    def overdue(self) -> bool:
        return self.state == NextUpdateState.OVERDUE

    @property
    def due_soon(self) -> bool:
        return self.state == NextUpdateState.DUE_SOON


def _latest_promise() -> Subquery:
    return Subquery(
        IncidentUpdate.objects.filter(incident=OuterRef("pk"))
        .order_by("-published_at", "-id")
        .values("next_update_by")[:1]
    )


def with_next_update_due(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """Annotate a list of incidents with their promise in the same query (constant query
    counts on lists); `incident_next_update_due` then reads the annotation."""
    return queryset.annotate(**{ANNOTATION: _latest_promise()})


def incident_next_update_due(incident: Incident) -> datetime | None:
    """When the newsroom promised its next update on this incident (aware datetime), or None:
    no update yet, the latest update promised none, or the incident was dismissed. One query,
    none when the incident comes from `with_next_update_due`."""
    if incident.status == Incident.Status.DISMISSED:
        return None
    if hasattr(incident, ANNOTATION):
        annotated: datetime | None = getattr(incident, ANNOTATION)
        return annotated
    latest = (
        IncidentUpdate.objects.filter(incident=incident)
        .order_by("-published_at", "-id")
        .values_list("next_update_by", flat=True)
        .first()
    )
    return latest


def next_update_state(due: datetime | None, *, now: datetime | None = None) -> NextUpdate | None:
    """Where the promise stands for the editor: scheduled, due within five minutes, overdue."""
    if due is None:
        return None
    now = now or timezone.now()
    if now >= due:
        state = NextUpdateState.OVERDUE
    elif now >= due - DUE_SOON:
        state = NextUpdateState.DUE_SOON
    else:
        state = NextUpdateState.SCHEDULED
    return NextUpdate(at=due, state=state)


def incident_next_update(incident: Incident, *, now: datetime | None = None) -> NextUpdate | None:
    return next_update_state(incident_next_update_due(incident), now=now)
