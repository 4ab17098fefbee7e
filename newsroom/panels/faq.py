"""The FAQ panel: one form per answer and the form that adds a question."""

from incidents.models import FAQEntry, Incident
from incidents.selectors.newsroom import incident_faq
from incidents.services.faq import faq_version
from newsroom.forms import FAQAddForm, FAQEntryForm

TEMPLATE = "newsroom/panels/faq.html"
ADD_PREFIX = "faqnew"


def entry_prefix(entry: FAQEntry) -> str:
    return f"faq{entry.pk}"


def faq_entry_form(entry: FAQEntry) -> FAQEntryForm:
    """The form of one answer as saved now, carrying the version it was read at."""
    return FAQEntryForm(
        initial={"question": entry.question, "answer": entry.answer, "version": faq_version(entry)},
        prefix=entry_prefix(entry),
    )


def faq_row(
    entry: FAQEntry,
    *,
    form: FAQEntryForm | None = None,
    conflict: FAQEntry | None = None,
    saved: bool = False,
) -> dict:
    """One entry of the list; `form` keeps what the editor typed (errors, conflict)."""
    return {
        "entry": entry,
        "form": form or faq_entry_form(entry),
        "conflict": conflict,
        "saved": saved,
    }


def faq_panel(
    incident: Incident,
    *,
    kept: dict[int, FAQEntryForm] | None = None,
    add_form: FAQAddForm | None = None,
) -> dict:
    """The whole panel; `kept` maps an entry id to the form to show instead of a fresh one."""
    kept = kept or {}
    return {
        "incident": incident,
        "faq_entries": [
            faq_row(entry, form=kept.get(entry.pk)) for entry in incident_faq(incident)
        ],
        "faq_add_form": add_form or FAQAddForm(prefix=ADD_PREFIX),
    }
