from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from incidents.services.incidents import (
    IncidentConflict,
    IncidentError,
    incident_change,
    incident_dismiss,
)
from incidents.services.translations import (
    incident_title_translate,
    incident_title_translation_remove,
)
from newsroom.forms import DismissForm, IncidentStateForm
from newsroom.messages import error_message
from newsroom.panels.header import header_panel
from newsroom.panels.state import TEMPLATE as STATE
from newsroom.panels.state import state_panel
from newsroom.views.common import get_incident, render_workspace
from outagedesk.roles import EDITOR, role_required


@role_required(EDITOR)
@require_GET
def workspace(request, pk: int):
    """The whole workspace; its query string carries the inbox filters and what the composer
    starts from, the same parameters the inbox and composer fragments read."""
    return render_workspace(request, get_incident(pk))


def _state_response(request, incident, context: dict, status: int, *, part: str = "state_panel"):
    if request.htmx:
        return render(request, f"{STATE}#{part}", context, status=status)
    return render_workspace(request, incident, state=context, status=status)


def _state_conflict(request, incident):
    """Show what the incident says now, with the editor's text still in the form."""
    current = get_incident(incident.pk)
    return _state_response(request, current, state_panel(current, conflict_with=request.POST), 409)


@role_required(EDITOR)
@require_POST
def incident_state(request, pk: int):
    """Save the state form. A stale version gets a conflict: the current state is shown next to
    what the editor typed, which stays in the form, ready to be saved again on purpose."""
    incident = get_incident(pk)
    posted_version = request.POST.get("version", "")
    if posted_version.isdigit() and int(posted_version) != incident.version:
        # Stale before anything else: the editor needs the conflict, not field errors
        # about choices that changed meanwhile.
        return _state_conflict(request, incident)
    form = IncidentStateForm(request.POST, incident=incident)
    if not form.is_valid():
        return _state_response(request, incident, state_panel(incident, form=form), 422)
    data = form.cleaned_data
    try:
        incident = incident_change(
            actor=request.user,
            incident=incident,
            expected_version=data["version"],
            title=data["title"],
            kind=data["kind"],
            impact=data["impact"],
            status=data["status"],
            components=data["components"],
            regions=data["regions"],
            platforms=data["platforms"],
            app_versions=data["app_versions"],
            other_services=data["other_services"],
        )
    except IncidentConflict as conflict:
        return _state_conflict(request, conflict.current)
    except IncidentError as error:
        form.add_error(None, error_message(error.code))
        return _state_response(request, incident, state_panel(incident, form=form), 422)
    _save_title_translation(request.user, incident, form)
    incident = get_incident(incident.pk)
    if not request.htmx:
        messages.success(request, _("Incident saved."))
        return redirect("newsroom:workspace", pk=incident.pk)
    # The header shows the title and status too: it follows the save without a reload.
    context = {**state_panel(incident, saved=True), **header_panel(incident)}
    return _state_response(request, incident, context, 200, part="state_saved")


def _save_title_translation(actor, incident, form: IncidentStateForm) -> None:
    """The title in the other language, as the state form left it (after the state itself,
    which checked the version): given, it is set; emptied, it is removed."""
    language = form.translation_language
    typed = form.cleaned_data["title_translation"].strip()
    if typed == incident.title_in(language):
        return
    if typed:
        incident_title_translate(actor=actor, incident=incident, language=language, title=typed)
    else:
        incident_title_translation_remove(actor=actor, incident=incident, language=language)


@role_required(EDITOR)
@require_POST
def incident_dismiss_view(request, pk: int):
    incident = get_incident(pk)
    form = DismissForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        incident_dismiss(actor=request.user, incident=incident, reason=reason)
    except IncidentError as error:
        messages.error(request, error_message(error.code))
        return redirect("newsroom:workspace", pk=incident.pk)
    messages.success(request, _("Draft dismissed: “%(title)s”.") % {"title": incident.title})
    return redirect("newsroom:dashboard")
