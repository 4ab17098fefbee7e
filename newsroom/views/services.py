"""/newsroom/services/: editors and admins cover a new service, its components, regions,
official links and alternatives, without JSON. Archive, never delete, what has incidents."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incidents.models import Service
from incidents.services.services import (
    ServiceError,
    service_archive,
    service_delete,
    service_save,
)
from newsroom.forms_services import (
    AlternativeFormSet,
    ComponentFormSet,
    ServiceForm,
    alternative_initial,
    alternative_inputs,
    component_initial,
)
from newsroom.messages_services import service_error_message
from outagedesk.roles import EDITOR, role_required


def get_service(pk: int) -> Service:
    service = Service.objects.filter(pk=pk).first()
    if service is None:
        raise Http404("No such service")
    return service


@role_required(EDITOR)
@require_GET
def service_list(request):
    services = Service.objects.annotate(
        component_count=Count("components", distinct=True),
        source_count=Count("sources", distinct=True),
        incident_count=Count("incidents", distinct=True),
    ).order_by("-is_active", "name")
    return render(request, "newsroom/services/list.html", {"services": services})


def _forms(request, service: Service | None):
    data = request.POST if request.method == "POST" else None
    form = ServiceForm(
        data,
        service=service,
        initial=ServiceForm.initial_for(service) if service else None,
    )
    components = ComponentFormSet(data, initial=component_initial(service), prefix="components")
    alternatives = AlternativeFormSet(
        data, initial=alternative_initial(service), prefix="alternatives"
    )
    return form, components, alternatives


def _place_error(error: ServiceError, form, components, alternatives) -> None:
    message = service_error_message(error.code)
    formset = {"keywords": components, "slug": components}.get(error.field)
    if error.field == "name":
        formset = alternatives
    if formset is not None and error.index is not None:
        formset.forms[error.index].add_error(error.field, message)
    elif error.field in form.fields:
        form.add_error(error.field, message)
    else:
        form.add_error(None, message)


def _edit(request, service: Service | None):
    form, components, alternatives = _forms(request, service)
    # Every part is validated, so all the field errors show at once.
    posted = request.method == "POST"
    valid = posted and all([form.is_valid(), components.is_valid(), alternatives.is_valid()])
    if valid:
        try:
            saved = service_save(
                actor=request.user,
                service=service,
                values=form.values(),
                components=components.inputs(),
                alternatives=alternative_inputs(alternatives),
            )
        except ServiceError as error:
            _place_error(error, form, components, alternatives)
        else:
            messages.success(request, _("%(service)s saved.") % {"service": saved.name})
            return redirect("newsroom:service_edit", service_pk=saved.pk)
    status = 422 if request.method == "POST" else 200
    context = {
        "service": service,
        "form": form,
        "components": components,
        "alternatives": alternatives,
        "sources": service.sources.order_by("name") if service else [],
    }
    return render(request, "newsroom/services/edit.html", context, status=status)


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def service_new(request):
    return _edit(request, None)


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def service_edit(request, service_pk: int):
    return _edit(request, get_service(service_pk))


@role_required(EDITOR)
@require_POST
def service_archive_view(request, service_pk: int):
    service = get_service(service_pk)
    archived = request.POST.get("action", "archive") != "restore"
    service = service_archive(actor=request.user, service=service, archived=archived)
    text = _("%(service)s archived.") if archived else _("%(service)s is tracked again.")
    messages.success(request, text % {"service": service.name})
    return redirect("newsroom:service_list")


@role_required(EDITOR)
@require_POST
def service_remove_view(request, service_pk: int):
    service = get_service(service_pk)
    try:
        service_delete(actor=request.user, service=service)
    except ServiceError as error:
        messages.error(request, service_error_message(error.code))
        return redirect("newsroom:service_edit", service_pk=service.pk)
    messages.success(request, _("%(service)s removed.") % {"service": service.name})
    return redirect("newsroom:service_list")
