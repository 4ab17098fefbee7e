from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from incidents.models import ResponseTemplate
from incidents.selectors.translations import other_language
from incidents.services.bilingual import translation_add_filled, update_publish_translated
from incidents.services.translations import TranslationError, TranslationText
from incidents.services.updates import (
    ConfirmationBlocked,
    TextNotReady,
    UpdateConflict,
    UpdateDraft,
    UpdateError,
    update_publish,
)
from newsroom.forms import ComposerForm, TranslationForm
from newsroom.messages import error_message
from newsroom.panels.composer import TEMPLATE as COMPOSER
from newsroom.panels.composer import (
    composer_choice,
    composer_panel,
    notify_reset,
    translation_panel,
)
from newsroom.panels.header import header_panel
from newsroom.panels.state import state_panel
from newsroom.panels.timeline import timeline_panel
from newsroom.views.common import get_incident, render_workspace
from outagedesk.roles import EDITOR, role_required


@role_required(EDITOR)
@require_GET
@vary_on_headers("HX-Request")
def composer(request, pk: int):
    """The composer fragment, filled from a template (?template=slug) or from the update being
    corrected (?correct=id); a plain visit to the same address gets the whole workspace."""
    incident = get_incident(pk)
    if not request.htmx:
        return render_workspace(request, incident)
    context = composer_panel(user=request.user, incident=incident, **composer_choice(request.GET))
    return render(request, f"{COMPOSER}#composer", context)


@role_required(EDITOR)
@require_POST
def preview(request, pk: int):
    """The live preview: what the public timeline entry and the banner would show now.
    Reads the composer's fields; writes nothing."""
    incident = get_incident(pk)
    # Unbound, filled with what is typed: a half-written draft is no error until published.
    typed = request.POST.dict()
    requested = request.GET.get("part")
    if requested == "notify" and "notify_reset" in typed:
        # The status changed: "Notify subscribers" takes that status's default again.
        typed = notify_reset(typed, incident)
    form = ComposerForm(initial=typed)
    context = composer_panel(user=request.user, incident=incident, form=form)
    # After a verification only the confirmed/report choice is refreshed, not the whole form;
    # after the status or the notify box changed, only the notify row and what it will do.
    part = PREVIEW_PARTS.get(requested or "", "preview")
    return render(request, f"{COMPOSER}#{part}", context)


PREVIEW_PARTS = {
    "confirmation": "confirmation_choice",
    "notify": "notify_row",
    "translation": "translation_preview",
}


def _composer_error(request, incident, form, status: int, **extra):
    context = {**composer_panel(user=request.user, incident=incident, form=form), **extra}
    if request.htmx:
        return render(request, f"{COMPOSER}#composer", context, status=status)
    return render_workspace(request, incident, composer=context, status=status)


def _publish(actor, form: ComposerForm, draft: UpdateDraft):
    """The update alone, or with its other-language version in the same transaction."""
    if not form.has_translation():
        return update_publish(actor=actor, draft=draft)
    data = form.cleaned_data
    return update_publish_translated(
        actor=actor,
        draft=draft,
        # None means the incident's language, as update_publish reads it.
        language=other_language(draft.language or draft.incident.language),
        text=TranslationText(
            title=data["translation_title"],
            message=data["translation_message"],
            advice=data["translation_advice"],
            call_to_action=data["translation_call_to_action"],
        ),
        incident_title=data["translation_incident_title"],
    )


@role_required(EDITOR)
@require_POST
def publish(request, pk: int):
    incident = get_incident(pk)
    form = ComposerForm(request.POST)
    if not form.is_valid():
        return _composer_error(request, incident, form, 422)
    data = form.cleaned_data
    corrects = None
    if data.get("corrects"):
        corrects = incident.updates.filter(pk=data["corrects"]).first()
        if corrects is None:
            form.add_error(None, error_message("correction_of_other_incident"))
            return _composer_error(request, incident, form, 422)
    template = None
    if data.get("template"):
        template = ResponseTemplate.objects.filter(slug=data["template"]).first()
    try:
        update = _publish(
            request.user,
            form,
            UpdateDraft(
                incident=incident,
                title=data["title"],
                message=data["message"],
                advice=data["advice"],
                call_to_action=data["call_to_action"],
                status=data["status"],
                language=data["language"],
                confirmed=data["confirmation"] == ComposerForm.CONFIRMED,
                notify=data["notify"],
                override_reason=data["override_reason"],
                corrects=corrects,
                correction_note=data["correction_note"],
                expected_last_update_id=data.get("seen_update"),
                template=template,
                next_update_minutes=data.get("next_update_minutes"),
            ),
        )
    except UpdateConflict as conflict:
        kept = request.POST.copy()
        # Publishing again now means "I have read the other update and still want mine".
        kept["seen_update"] = str(conflict.latest.pk if conflict.latest else 0)
        form = ComposerForm(kept)
        form.is_valid()
        return _composer_error(
            request,
            incident,
            form,
            409,
            publish_conflict=conflict.latest,
        )
    except ConfirmationBlocked as blocked:
        if blocked.reason_missing:
            form.add_error("override_reason", _("Write why you override the two-source rule."))
        else:
            form.add_error(
                "confirmation",
                _("This update cannot state a confirmed outage yet; publish it as a report."),
            )
        return _composer_error(request, incident, form, 422)
    except TextNotReady as not_ready:
        form.add_error(
            not_ready.field,
            _("Replace what is still to fill before publishing: %(items)s")
            % {"items": ", ".join(not_ready.leftovers)},
        )
        return _composer_error(request, incident, form, 422)
    except TranslationError as refused:
        field = (
            "translation_incident_title"
            if refused.code == "incident_title"
            else "translation_message"
        )
        form.add_error(field, error_message(f"translation_{refused.code}"))
        return _composer_error(request, incident, form, 422)
    except UpdateError as error:
        form.add_error(None, error_message(error.code))
        return _composer_error(request, incident, form, 422)

    incident = get_incident(incident.pk)
    if not request.htmx:
        messages.success(request, _("Update published: “%(title)s”.") % {"title": update.title})
        return redirect("newsroom:workspace", pk=incident.pk)
    # The fresh composer, and out of band the panels the update changed.
    context = {
        **timeline_panel(incident),
        **state_panel(incident),
        **header_panel(incident),
        **composer_panel(user=request.user, incident=incident),
        "published": update,
    }
    return render(request, f"{COMPOSER}#published", context)


@role_required(EDITOR)
@require_POST
def translation_add(request, pk: int, original_pk: int):
    """Add to a published update its version in the other language (from the timeline's
    "Add the … version" link). Placeholders are filled; anything left to fill is refused."""
    incident = get_incident(pk)
    update = get_object_or_404(incident.updates, pk=original_pk)
    form = TranslationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            translation_add_filled(
                actor=request.user,
                update=update,
                language=other_language(update.language),
                text=TranslationText(
                    title=data["translation_title"],
                    message=data["translation_message"],
                    advice=data["translation_advice"],
                    call_to_action=data["translation_call_to_action"],
                ),
                incident_title=data["translation_incident_title"],
            )
        except TextNotReady as not_ready:
            form.add_error(
                not_ready.field,
                _("Replace what is still to fill before publishing: %(items)s")
                % {"items": ", ".join(not_ready.leftovers)},
            )
        except TranslationError as refused:
            field = "translation_incident_title" if refused.code == "incident_title" else None
            form.add_error(field, error_message(f"translation_{refused.code}"))
    if form.errors:
        context = translation_panel(incident=incident, update=update, form=form)
        if request.htmx:
            return render(request, f"{COMPOSER}#composer", context, status=422)
        return render_workspace(request, incident, composer=context, status=422)
    if not request.htmx:
        messages.success(request, _("The version in the other language is published."))
        return redirect("newsroom:workspace", pk=incident.pk)
    context = {
        **timeline_panel(incident),
        **composer_panel(user=request.user, incident=incident),
    }
    return render(request, f"{COMPOSER}#translated", context)
