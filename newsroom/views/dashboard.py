from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from incidents.selectors.newsroom import dashboard as dashboard_data
from incidents.services.incidents import IncidentError, incident_open
from newsroom.forms import IncidentOpenForm
from newsroom.messages import error_message
from outagedesk.roles import EDITOR, role_required


@role_required(EDITOR)
@require_GET
def dashboard(request):
    return render(request, "newsroom/dashboard.html", {"data": dashboard_data()})


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def incident_new(request):
    # "Show their components" reloads the form by GET with what was typed: the components
    # offered are then the chosen services' only.
    initial = {
        key: request.GET.getlist(key) if key == "other_services" else request.GET[key]
        for key in IncidentOpenForm.KEPT_ON_RELOAD
        if key in request.GET
    }
    form = IncidentOpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = incident_open(
                actor=request.user,
                service=data["service"],
                other_services=data["other_services"],
                title=data["title"],
                kind=data["kind"],
                impact=data["impact"],
                components=data["components"],
                regions=data["regions"],
                platforms=data["platforms"],
                app_versions=data["app_versions"],
                language=data["language"],
            )
        except IncidentError as error:
            form.add_error(None, error_message(error.code))
        else:
            return redirect("newsroom:workspace", pk=incident.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "newsroom/incident_new.html", {"form": form}, status=status)
