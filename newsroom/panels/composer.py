"""The composer panel: its form, the filled preview, the announcement checklist and why
"confirmed" may be blocked. Views call `composer_panel`; the rules live in the services."""

from dataclasses import dataclass
from datetime import timedelta

from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident, IncidentUpdate, ResponseTemplate
from incidents.placeholders import (
    markers_left,
    placeholder_values,
    placeholders_fill,
    placeholders_left,
)
from incidents.selectors.newsroom import response_templates
from incidents.selectors.translations import other_language
from incidents.services.confirmation import confirmation_check, verified_basis
from incidents.services.updates import (
    NEXT_UPDATE_MAX_MINUTES,
    PUBLISHABLE_STATUSES,
    draft_render,
    next_update_default_minutes,
    notify_default,
)
from newsroom.forms import ComposerForm, TranslationForm
from newsroom.panels.notify import notify_panel
from outagedesk.roles import ADMIN, has_role

Status = Incident.Status
Purpose = ResponseTemplate.Purpose
TEMPLATE = "newsroom/panels/composer.html"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str | Promise
    done: bool
    hint: str | Promise = ""


def suggested_template(
    incident: Incident, templates: list[ResponseTemplate], *, confirmable: bool, has_updates: bool
) -> ResponseTemplate | None:
    """The template an editor most likely wants now, in the incident's language."""
    if incident.status == Status.RESOLVED:
        purpose = Purpose.RESOLVED
    elif has_updates:
        purpose = Purpose.UPDATE
    else:
        purpose = Purpose.CONFIRMED if confirmable else Purpose.REPORTED
    candidates = [t for t in templates if t.purpose == purpose]
    # The incident's language first, then the formal voice (the newsroom's default register).
    candidates.sort(
        key=lambda t: (t.language != incident.language, t.tone != ResponseTemplate.Tone.FORMAL)
    )
    return candidates[0] if candidates else None


def _status_for(template: ResponseTemplate | None, incident: Incident) -> str:
    if template is not None and template.purpose == Purpose.RESOLVED:
        return Status.RESOLVED
    if incident.status in PUBLISHABLE_STATUSES:
        return incident.status
    return Status.INVESTIGATING


TEXT_FIELDS = ("title", "message", "advice", "call_to_action")


def template_text(template: ResponseTemplate, *, incident: Incident, basis) -> dict[str, str]:
    """The template's fields as the editor starts from them: every placeholder filled with the
    incident's values in the template's language, and what nobody knows yet (no component, no
    verified source) left as a visible marker the editor must replace before publishing."""
    values = placeholder_values(
        incident=incident, language=template.language, sources=basis.sources, mark_unknown=True
    )
    return {name: placeholders_fill(getattr(template, name), values) for name in TEXT_FIELDS}


def matching_template(
    template: ResponseTemplate, templates: list[ResponseTemplate]
) -> ResponseTemplate | None:
    """The same template in the other language: same purpose and tone, or none."""
    wanted = other_language(template.language)
    for candidate in templates:
        if (
            candidate.language == wanted
            and candidate.purpose == template.purpose
            and candidate.tone == template.tone
        ):
            return candidate
    return None


def translation_initial(template: ResponseTemplate | None, *, incident: Incident, basis) -> dict:
    """The other language's fields prefilled from the matching template, or empty."""
    if template is None:
        return {}
    match = matching_template(template, response_templates())
    if match is None:
        return {}
    text = template_text(match, incident=incident, basis=basis)
    return {f"translation_{name}": value for name, value in text.items()}


def composer_initial(
    incident: Incident,
    *,
    template: ResponseTemplate | None,
    correcting: IncidentUpdate | None,
    confirmable: bool,
    latest_update_id: int,
    basis=None,
) -> dict:
    initial: dict = {"seen_update": latest_update_id, "language": incident.language}
    if correcting is not None:
        initial.update(
            title=correcting.title,
            message=correcting.message,
            advice=correcting.advice,
            call_to_action=correcting.call_to_action,
            language=correcting.language,
            corrects=correcting.pk,
            status=_status_for(None, incident),
            confirmation=ComposerForm.CONFIRMED
            if correcting.is_confirmed and confirmable
            else ComposerForm.REPORT,
            notify=False,
            next_update_minutes=next_update_default_minutes(status=_status_for(None, incident)),
        )
        return initial
    status = _status_for(template, incident)
    if template is not None:
        basis = basis or verified_basis(incident)
        initial.update(
            **template_text(template, incident=incident, basis=basis),
            **translation_initial(template, incident=incident, basis=basis),
            language=template.language,
            template=template.slug,
        )
    wants_confirmed = template is None or template.purpose != Purpose.REPORTED
    initial.update(
        status=status,
        confirmation=ComposerForm.CONFIRMED
        if confirmable and wants_confirmed
        else ComposerForm.REPORT,
        notify=notify_default(incident=incident, status=status),
        next_update_minutes=next_update_default_minutes(status=status),
    )
    # The incident's title in the other language, when it has one already.
    translation_language = other_language(initial.get("language") or incident.language)
    initial["translation_incident_title"] = incident.title_in(translation_language)
    return initial


def _value(form: ComposerForm | TranslationForm, name: str) -> str:
    value = form[name].value()
    return "" if value is None else str(value)


def checklist(draft, *, confirmed: bool, template: ResponseTemplate | None) -> list:
    items = [
        ChecklistItem("title", _("A clear title"), bool(draft.title)),
        ChecklistItem("message", _("The main message"), bool(draft.message)),
        ChecklistItem(
            "timestamp",
            _("Date and time of this update"),
            True,
            _("Added automatically when you publish."),
        ),
        ChecklistItem(
            "sources",
            _("The sources"),
            bool(draft.sources_text),
            "" if draft.sources_text else _("Verify evidence in the inbox to cite it."),
        ),
        ChecklistItem("advice", _("Advice to users"), bool(draft.advice)),
        ChecklistItem("call_to_action", _("A call to action"), bool(draft.call_to_action)),
    ]
    return items


def warnings(
    form: ComposerForm | TranslationForm, draft, *, confirmed: bool, template
) -> list[str | Promise]:
    found: list[str | Promise] = []
    if not confirmed and template is not None and template.purpose == Purpose.CONFIRMED:
        found.append(
            _(
                "This template announces a confirmed outage: choose a “reports” template so "
                "the wording matches what is known."
            )
        )
    filled = " ".join((draft.title, draft.message, draft.advice, draft.call_to_action))
    leftovers = [f"{{{name}}}" for name in sorted(placeholders_left(filled))]
    if leftovers:
        found.append(
            _("Unknown placeholders cannot be published: %(names)s")
            % {"names": ", ".join(leftovers)}
        )
    if markers := markers_left(filled):
        found.append(
            _("Fill in what is marked before publishing: %(markers)s")
            % {"markers": ", ".join(markers)}
        )
    return found


def notify_reset(data: dict, incident: Incident) -> dict:
    """The composer's fields with "Notify subscribers" set back to its default for the status
    now chosen (the status select changed): a new status notifies, a quiet follow-up does not."""
    status = data.get("status", "")
    data = {key: value for key, value in data.items() if key != "notify"}
    if status in PUBLISHABLE_STATUSES and notify_default(incident=incident, status=status):
        data["notify"] = "on"
    return data


def composer_choice(query: QueryDict) -> dict:
    """What the address asks the composer to start from: a template (?template=slug) or the
    update being corrected (?correct=id). Keyword arguments for `composer_panel`."""
    return {
        "template_slug": query.get("template", "")[:80],
        "correct_id": query.get("correct", ""),
        "translate_id": query.get("translate", ""),
    }


def _purpose_of(update: IncidentUpdate) -> str:
    if update.status == Status.RESOLVED:
        return Purpose.RESOLVED
    return Purpose.CONFIRMED if update.is_confirmed else Purpose.REPORTED


def translation_start(update: IncidentUpdate, *, basis) -> dict:
    """The fields of a translation added later, prefilled from the formal template in the other
    language whose purpose matches what the update announced (empty if there is none)."""
    language = other_language(update.language)
    candidates = [
        t
        for t in response_templates()
        if t.language == language and t.purpose == _purpose_of(update)
    ]
    candidates.sort(key=lambda t: t.tone != ResponseTemplate.Tone.FORMAL)
    title = {"translation_incident_title": update.incident.title_in(language)}
    if not candidates:
        return title
    text = template_text(candidates[0], incident=update.incident, basis=basis)
    return {**title, **{f"translation_{name}": value for name, value in text.items()}}


def translation_panel(
    *, incident: Incident, update: IncidentUpdate, form: TranslationForm | None = None
) -> dict:
    """The composer turned to adding `update`'s version in the other language."""
    language = other_language(update.language)
    basis = verified_basis(incident)
    if form is None:
        form = TranslationForm(initial=translation_start(update, basis=basis))
    translation = draft_render(
        incident=incident,
        language=language,
        title=_value(form, "translation_title"),
        message=_value(form, "translation_message"),
        advice=_value(form, "translation_advice"),
        call_to_action=_value(form, "translation_call_to_action"),
        basis=basis,
    )
    return {
        "incident": incident,
        "translating": update,
        "translation_form": form,
        "translation": translation,
        "translation_language": language,
        "translation_warnings": warnings(form, translation, confirmed=True, template=None),
    }


def composer_panel(
    *,
    user,
    incident: Incident,
    form: ComposerForm | None = None,
    template_slug: str = "",
    correct_id: str = "",
    translate_id: str = "",
) -> dict:
    """Everything the composer, its preview and its confirmation choice need. Without `form`,
    a fresh form from the template or the corrected update; with it, what the editor typed.
    With `translate_id`, the composer adds that update's version in the other language."""
    if form is None and translate_id.isdigit():
        translating = incident.updates.filter(pk=int(translate_id)).first()
        if translating is not None:
            return translation_panel(incident=incident, update=translating)
    correcting = None
    if correct_id.isdigit():
        correcting = incident.updates.filter(pk=int(correct_id)).first()
    templates = response_templates()
    by_slug = {t.slug: t for t in templates}
    basis = verified_basis(incident)
    check = confirmation_check(basis=basis)
    latest = incident.updates.order_by("-published_at", "-id").first()
    if form is None:
        template = by_slug.get(template_slug) if template_slug else None
        if template is None and correcting is None:
            template = suggested_template(
                incident, templates, confirmable=check.ok, has_updates=latest is not None
            )
        form = ComposerForm(
            initial=composer_initial(
                incident,
                template=template,
                correcting=correcting,
                confirmable=check.ok,
                latest_update_id=latest.pk if latest else 0,
                basis=basis,
            )
        )
    for name in TEXT_FIELDS + tuple(f"translation_{n}" for n in TEXT_FIELDS):
        # A field still holding a "[to fill: …]" gap is outlined until the editor fills it.
        if markers_left(_value(form, name)):
            form.fields[name].widget.attrs["class"] = "to-fill"
    template = by_slug.get(_value(form, "template"))
    if correcting is None and _value(form, "corrects").isdigit():
        correcting = incident.updates.filter(pk=int(_value(form, "corrects"))).first()
    language = _value(form, "language") or incident.language
    draft = draft_render(
        incident=incident,
        language=draft_language_of(language, incident),
        title=_value(form, "title"),
        message=_value(form, "message"),
        advice=_value(form, "advice"),
        call_to_action=_value(form, "call_to_action"),
        basis=basis,
    )
    translation_language = other_language(draft_language_of(language, incident))
    translation = draft_render(
        incident=incident,
        language=translation_language,
        title=_value(form, "translation_title"),
        message=_value(form, "translation_message"),
        advice=_value(form, "translation_advice"),
        call_to_action=_value(form, "translation_call_to_action"),
        basis=basis,
    )
    confirmed = _value(form, "confirmation") == ComposerForm.CONFIRMED
    is_admin = has_role(user, ADMIN)
    now = timezone.now()
    next_minutes = _value(form, "next_update_minutes")
    return {
        "incident": incident,
        "composer_form": form,
        "templates": templates,
        "current_template": template,
        "check": check,
        "can_confirm": check.ok or is_admin,
        "can_override": is_admin and not check.ok,
        "draft": draft,
        "draft_confirmed": confirmed,
        "draft_status": _value(form, "status"),
        "draft_status_label": dict(Status.choices).get(_value(form, "status"), ""),
        "draft_language": language,
        "draft_time": now,
        # What readers will be promised if published now (the preview shows it).
        "draft_next_update": now + timedelta(minutes=int(next_minutes))
        if next_minutes.isdigit() and 0 < int(next_minutes) <= NEXT_UPDATE_MAX_MINUTES
        else None,
        **notify_panel(incident, notify=bool(form["notify"].value())),
        "checklist": checklist(draft, confirmed=confirmed, template=template),
        "warnings": warnings(form, draft, confirmed=confirmed, template=template),
        "correcting": correcting,
        "latest_update": latest,
        # The same update in the other language: its fields open when something is in them.
        "translation": translation,
        "translation_language": translation_language,
        "translation_open": bool(form["translation_include"].value()),
        "translation_warnings": warnings(form, translation, confirmed=True, template=None),
    }


def draft_language_of(language: str, incident: Incident) -> str:
    return language if language in ("fr", "en") else incident.language
