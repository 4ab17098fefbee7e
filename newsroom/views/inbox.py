from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from incidents.selectors.newsroom import inbox_item
from incidents.services.verification import (
    VerificationError,
    evidence_reject,
    evidence_verify,
)
from newsroom.forms import EvidenceDecisionForm
from newsroom.messages import error_message
from newsroom.panels.inbox import TEMPLATE as INBOX
from newsroom.panels.inbox import evidence_decided, inbox_list, inbox_panel, inbox_poll, inbox_query
from newsroom.views.common import get_incident
from outagedesk.roles import EDITOR, role_required


@role_required(EDITOR)
@require_GET
@never_cache
@vary_on_headers("HX-Request")
def inbox(request, pk: int):
    """The inbox fragment. With `after`, the live poll: only items newer than `after`, or 204
    when nothing arrived (one cheap query). With `cursor`, the next page of older items."""
    incident = get_incident(pk, light=True)
    if not request.htmx:
        # A plain visit (no JavaScript, or a shared link) gets the whole workspace.
        workspace_url = reverse("newsroom:workspace", args=[incident.pk])
        return redirect(f"{workspace_url}?{request.GET.urlencode()}")
    query = inbox_query(request.GET)
    if query.after is not None:
        context = inbox_poll(incident, query, after=query.after)
        if context is None:
            return HttpResponse(status=204)
        return render(request, f"{INBOX}#inbox_poll", context)
    if query.cursor:
        return render(request, f"{INBOX}#inbox_more", inbox_list(incident, query))
    return render(request, f"{INBOX}#inbox", inbox_panel(incident, query))


def _decide(request, pk: int, evidence_pk: int, decide):
    incident = get_incident(pk, light=True)
    evidence = inbox_item(incident=incident, evidence_id=evidence_pk)
    if evidence is None:
        raise Http404("No such evidence in this incident's inbox")
    form = EvidenceDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    error = ""
    try:
        decide(actor=request.user, evidence=evidence, incident=incident, note=note)
    except VerificationError as refused:
        error = error_message(refused.code)
    if not request.htmx:
        return redirect("newsroom:workspace", pk=incident.pk)
    response = render(
        request,
        f"{INBOX}#evidence_decided",
        evidence_decided(incident, evidence_pk, error=error),
        status=422 if error else 200,
    )
    # The composer listens: whether "confirmed" is allowed may have just changed.
    response["HX-Trigger"] = "evidence-changed"
    return response


@role_required(EDITOR)
@require_POST
def evidence_verify_view(request, pk: int, evidence_pk: int):
    return _decide(request, pk, evidence_pk, evidence_verify)


@role_required(EDITOR)
@require_POST
def evidence_reject_view(request, pk: int, evidence_pk: int):
    return _decide(request, pk, evidence_pk, evidence_reject)
