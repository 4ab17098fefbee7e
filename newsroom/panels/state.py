"""The incident state panel: the form, and the conflict when someone else saved first."""

from django.http import QueryDict

from incidents.models import Incident
from newsroom.forms import IncidentStateForm
from outagedesk.models import AuditEvent

TEMPLATE = "newsroom/panels/state.html"


def state_panel(
    incident: Incident,
    *,
    form: IncidentStateForm | None = None,
    saved: bool = False,
    conflict_with: QueryDict | None = None,
) -> dict:
    """The panel with a fresh form, or with `form` (errors kept). With `conflict_with` (what
    the editor posted), the panel shows what the incident says now above the editor's text."""
    context: dict = {"incident": incident, "saved": saved}
    if conflict_with is not None:
        form = _kept_form(incident, conflict_with)
        context.update(_conflict(incident))
    if form is None:
        form = IncidentStateForm(initial=IncidentStateForm.initial_for(incident), incident=incident)
    context["state_form"] = form
    return context


def _kept_form(current: Incident, posted: QueryDict) -> IncidentStateForm:
    kept: dict = {
        name: posted.getlist(name)
        if name in ("components", "platforms", "other_services")
        else posted.get(name, "")
        for name in IncidentStateForm.base_fields
    }
    # Saving again now means "I have seen the other change and mine wins".
    kept["version"] = current.version
    return IncidentStateForm(initial=kept, incident=current)


def _conflict(current: Incident) -> dict:
    last_change = (
        AuditEvent.objects.filter(object_type="incidents.incident", object_id=str(current.pk))
        .order_by("-at", "-id")
        .first()
    )
    return {
        "conflict": current,
        "conflict_status": current.get_status_display(),
        "conflict_components": ", ".join(c.name for c in current.components.all()),
        "conflict_services": ", ".join(s.name for s in current.affected_services()),
        "conflict_event": last_change,
    }
