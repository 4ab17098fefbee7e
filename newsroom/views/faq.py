from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from incidents.services.faq import (
    FAQConflict,
    FAQError,
    faq_add,
    faq_prefill,
    faq_save,
    faq_version,
)
from newsroom.forms import FAQAddForm, FAQEntryForm
from newsroom.messages import error_message
from newsroom.panels.faq import ADD_PREFIX, entry_prefix, faq_panel, faq_row
from newsroom.panels.faq import TEMPLATE as FAQ
from newsroom.views.common import get_incident, render_workspace
from outagedesk.roles import EDITOR, role_required


@role_required(EDITOR)
@require_POST
def faq_prefill_view(request, pk: int):
    incident = get_incident(pk)
    faq_prefill(actor=request.user, incident=incident)
    if not request.htmx:
        return redirect("newsroom:workspace", pk=incident.pk)
    return render(request, f"{FAQ}#faq", faq_panel(incident))


@role_required(EDITOR)
@require_POST
def faq_add_view(request, pk: int):
    incident = get_incident(pk)
    form = FAQAddForm(request.POST, prefix=ADD_PREFIX)
    entry = None
    if form.is_valid():
        try:
            entry = faq_add(
                actor=request.user,
                incident=incident,
                question=form.cleaned_data["question"],
                answer=form.cleaned_data["answer"],
            )
        except FAQError as error:
            form.add_error(None, error_message(error.code))
    if not request.htmx:
        if entry is not None:
            return redirect("newsroom:workspace", pk=incident.pk)
        return render_workspace(
            request, incident, faq=faq_panel(incident, add_form=form), status=422
        )
    if entry is None:
        return render(
            request,
            f"{FAQ}#faq_add",
            {"incident": incident, "faq_add_form": form},
            status=422,
        )
    # The new entry at the end of the list, and out of band an empty "add" form.
    context = {
        "incident": incident,
        "row": faq_row(entry),
        "faq_add_form": FAQAddForm(prefix=ADD_PREFIX),
    }
    return render(request, f"{FAQ}#faq_added", context)


@role_required(EDITOR)
@require_POST
def faq_save_view(request, pk: int, entry_pk: int):
    """Save, publish or unpublish one answer. A stale form gets a conflict and keeps the text."""
    incident = get_incident(pk)
    entry = incident.faq_entries.filter(pk=entry_pk).first()
    if entry is None:
        raise Http404("No such question in this incident's FAQ")
    form = FAQEntryForm(request.POST, prefix=entry_prefix(entry))
    action = request.POST.get("action", "save")
    publish = {"publish": True, "unpublish": False}.get(action)
    status, conflict, saved = 200, None, False
    if form.is_valid():
        try:
            entry = faq_save(
                actor=request.user,
                entry=entry,
                question=form.cleaned_data["question"],
                answer=form.cleaned_data["answer"],
                expected_version=form.cleaned_data["version"],
                publish=publish,
            )
            saved = True
        except FAQConflict as stale:
            entry, conflict, status = stale.current, stale.current, 409
            kept = request.POST.copy()
            kept[f"{entry_prefix(entry)}-version"] = faq_version(entry)
            form = FAQEntryForm(kept, prefix=entry_prefix(entry))
            form.is_valid()
        except FAQError as error:
            form.add_error(None, error_message(error.code))
            status = 422
    else:
        status = 422
    if not request.htmx:
        if saved:
            return redirect("newsroom:workspace", pk=incident.pk)
        return render_workspace(
            request, incident, faq=faq_panel(incident, kept={entry.pk: form}), status=status
        )
    # Once saved, the form is read back from the entry (new version); otherwise it keeps
    # what the editor typed.
    row = faq_row(entry, form=None if saved else form, conflict=conflict, saved=saved)
    return render(request, f"{FAQ}#faq_entry", {"incident": incident, "row": row}, status=status)
