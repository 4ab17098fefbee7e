"""Editor-facing wording of the rule codes the services raise (services stay language-neutral)."""

from django.utils.translation import gettext_lazy as _

# Model choice labels, repeated here so the newsroom's French catalogue carries them.
CHOICE_LABELS = (
    _("Suspected (draft)"),
    _("Investigating"),
    _("Identified"),
    _("Monitoring"),
    _("Resolved"),
    _("Dismissed"),
    _("None"),
    _("Minor"),
    _("Major"),
    _("Critical"),
    _("Global outage"),
    _("Regional outage"),
    _("Feature affected"),
    _("App bug"),
    _("Official"),
    _("Established monitor"),
    _("Press"),
    _("Community"),
    _("Unverified"),
    _("Verified"),
    _("Rejected"),
    _("No problem"),
    _("Possible problem"),
    _("Problem likely"),
    _("Formal"),
    _("Casual"),
    _("Confirmed outage"),
    _("Reports, not confirmed"),
    _("Follow-up"),
    _("English"),
    _("French"),
)

ERRORS = {
    "title_required": _("The title cannot be empty."),
    "message_required": _("The main message cannot be empty."),
    "bad_status": _("This status cannot be chosen here."),
    "bad_language": _("Choose French or English."),
    "use_dismiss": _("Use “Dismiss” to discard a detector draft."),
    "not_a_draft": _("Only a detector draft that was never published can be dismissed."),
    "dismissed": _("This incident was dismissed; open a new one instead."),
    "component_of_other_service": _("Choose components of this incident’s service."),
    "correction_of_other_incident": _("That update belongs to another incident."),
    "correction_note_required": _("Say what this correction changes."),
    "correction_note_without_correction": _("A correction note needs an update to correct."),
    "other_service": _("This evidence is about another service."),
    "other_incident": _("This evidence is already attached to another incident."),
    "question_required": _("The question cannot be empty."),
    "answer_required": _("Write an answer before publishing it."),
    "bad_next_update": _("The next update can be promised at most 24 hours ahead."),
    "translation_bad_language": _("Choose French or English."),
    "translation_same_language": _("The other version must be in the other language."),
    "translation_empty": _("The other language’s version needs a title and a message."),
    "translation_incident_title": _(
        "Give the incident’s title in this language too: the page cannot be shown in it "
        "without one."
    ),
}


def error_message(code: str) -> str:
    return str(ERRORS.get(code, _("This change was refused.")))
