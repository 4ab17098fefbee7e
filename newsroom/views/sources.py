"""A service's sources in the newsroom: choose a kind, fill that kind's form, "Test now" on
the unsaved values, save. The form builds the config; nobody types JSON."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incidents.collectors.trial import source_trial_run
from incidents.models import Source
from incidents.services.sources import SourceError, source_save
from newsroom.forms_sources import KIND_DESCRIPTIONS, kind_form
from newsroom.messages_services import service_error_message
from newsroom.views.services import get_service
from outagedesk.ratelimit import rate_limited
from outagedesk.roles import EDITOR, role_required

EDIT = "newsroom/services/source.html"
# "Test now" fetches on the editor's behalf: a few runs a minute is plenty to fix a form.
TRIAL_LIMIT = getattr(settings, "SOURCE_TRIAL_LIMIT", 6)
TRIAL_WINDOW_SECONDS = 60


def _kinds() -> list[dict]:
    return [
        {"value": value, "label": label, "description": KIND_DESCRIPTIONS.get(value, "")}
        for value, label in Source.Kind.choices
    ]


def _source_form(request, service, kind: str, source: Source | None, *, for_trial=False):
    form_class = kind_form(kind)
    if form_class is None:
        return None
    data = request.POST if request.method == "POST" else None
    initial = form_class.initial_for(source) if source is not None else None
    return form_class(data, service=service, initial=initial, for_trial=for_trial)


def _render(request, service, form, source=None, trial=None, status=200):
    context = {
        "service": service,
        "source": source,
        "form": form,
        "kind": form.kind_value,
        "kind_label": Source.Kind(form.kind_value).label,
        "kind_description": KIND_DESCRIPTIONS.get(form.kind_value, ""),
        "trial": trial,
    }
    if request.htmx and trial is not None:
        return render(request, f"{EDIT}#trial", context, status=status)
    return render(request, EDIT, context, status=status)


def _save(request, service, form, source: Source | None):
    if not form.is_valid():
        return _render(request, service, form, source, status=422)
    try:
        saved = source_save(
            actor=request.user,
            service=service,
            source=source,
            values=form.values(),
            config=form.config(),
        )
    except SourceError as error:
        target = error.field if error.field in form.fields else None
        form.add_error(target, service_error_message(error.code))
        return _render(request, service, form, source, status=422)
    messages.success(request, _("Source “%(name)s” saved.") % {"name": saved.name})
    return redirect("newsroom:service_edit", service_pk=service.pk)


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def source_new(request, service_pk: int):
    service = get_service(service_pk)
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    form = _source_form(request, service, kind, None)
    if form is None:
        status = 422 if request.method == "POST" else 200
        return render(
            request,
            "newsroom/services/source_kinds.html",
            {"service": service, "kinds": _kinds()},
            status=status,
        )
    if request.method == "POST":
        return _save(request, service, form, None)
    return _render(request, service, form)


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def source_edit(request, service_pk: int, source_pk: int):
    service = get_service(service_pk)
    source = service.sources.filter(pk=source_pk).first()
    if source is None:
        raise Http404("No such source for this service")
    form = _source_form(request, service, source.kind, source)
    if request.method == "POST":
        return _save(request, service, form, source)
    return _render(request, service, form, source)


@role_required(EDITOR)
@require_POST
def source_test(request, service_pk: int):
    """Run the kind's collector once on the form's values, unsaved; store nothing."""
    service = get_service(service_pk)
    source = None
    if source_pk := request.POST.get("source", "").strip():
        source = service.sources.filter(pk=source_pk).first() if source_pk.isdigit() else None
    kind = source.kind if source is not None else request.POST.get("kind", "")
    form = _source_form(request, service, kind, source, for_trial=True)
    if form is None:
        return render(
            request,
            "newsroom/services/source_kinds.html",
            {"service": service, "kinds": _kinds()},
            status=422,
        )
    if rate_limited(
        f"source-trial:{request.user.pk}", limit=TRIAL_LIMIT, window_seconds=TRIAL_WINDOW_SECONDS
    ):
        form.is_valid()
        trial = {"limited": True}
        return _render(request, service, form, source, trial=trial, status=429)
    if not form.is_valid():
        return _render(request, service, form, source, trial={"invalid": True}, status=422)
    result = source_trial_run(
        service=service,
        kind=form.kind_value,
        url=form.cleaned_data.get("url") or "",
        config=form.config(),
        tier=form.cleaned_data.get("tier") or Source.Tier.UNVERIFIED,
    )
    return _render(request, service, form, source, trial={"result": result})
