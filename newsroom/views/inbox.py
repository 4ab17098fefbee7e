from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from incidents.selectors.newsroom import inbox_counts, inbox_item, inbox_new
from incidents.services.verification import (
    VerificationError,
    evidence_reject,
    evidence_verify,
)
from newsroom.charts import breakdown
from newsroom.forms import EvidenceDecisionForm
from newsroom.messages import error_message
from newsroom.views.common import (
    WORKSPACE,
    filter_links,
    get_incident,
    inbox_context,
    read_filters,
    region_choices,
)
from outagedesk.roles import EDITOR, role_required


@role_required(EDITOR)
@require_GET
@never_cache
@vary_on_headers("HX-Request")
def inbox(request, pk: int):
    """The inbox fragment. With `after`, the live poll: only items newer than `after`, or 204
    when nothing arrived (one cheap query). With `cursor`, the next page of older items."""
    incident = get_incident(pk, light=True)
    filters, form = read_filters(request)
    data = form.cleaned_data if form.is_valid() else {}
    if not request.htmx:
        # A plain visit (no JavaScript, or a shared link) gets the whole workspace.
        workspace_url = reverse("newsroom:workspace", args=[incident.pk])
        return redirect(f"{workspace_url}?{request.GET.urlencode()}")
    after = data.get("after")
    if after is not None:
        items = inbox_new(incident=incident, filters=filters, after_id=after)
        if not items:
            return HttpResponse(status=204)
        counts = inbox_counts(incident)
        context = {
            "incident": incident,
            "new_items": items,
            "filters": filters,
            "filter_query": urlencode(filters.as_query()),
            "after_id": max(after, counts.pop("latest_id"), *(item.pk for item in items)),
            "page": {"counts": counts},
        }
        return render(request, f"{WORKSPACE}#inbox_poll", context)
    cursor = data.get("cursor") or ""
    context = {"incident": incident, **inbox_context(incident, filters, cursor)}
    if cursor:
        return render(request, f"{WORKSPACE}#inbox_more", context)
    context["filter_links"] = filter_links(
        incident, filters, region_choices(incident, breakdown(incident, "region"))
    )
    return render(request, f"{WORKSPACE}#inbox", context)


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
    item = inbox_item(incident=incident, evidence_id=evidence_pk)
    counts = inbox_counts(incident)
    counts.pop("latest_id")
    response = render(
        request,
        f"{WORKSPACE}#evidence_decided",
        {"incident": incident, "item": item, "item_error": error, "page": {"counts": counts}},
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
