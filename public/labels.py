"""Reader-facing words for incident statuses and source tiers: a plain helper under the public
renderers (imports nothing from public/).

Kept in this app's catalog (with a context) so public pages are fully translated whatever the
state of the models' catalogs, and so a label change for readers never changes the admin."""

from django.utils import translation
from django.utils.translation import pgettext_lazy

from incidents.models import Service
from outagedesk.lib.sanitize import safe_url

STATUS_LABELS = {
    "investigating": pgettext_lazy("incident status", "Investigating"),
    "identified": pgettext_lazy("incident status", "Identified"),
    "monitoring": pgettext_lazy("incident status", "Monitoring"),
    "resolved": pgettext_lazy("incident status", "Resolved"),
}
TIER_LABELS = {
    "official": pgettext_lazy("source tier", "Official"),
    "monitor": pgettext_lazy("source tier", "Established monitor"),
    "press": pgettext_lazy("source tier", "Press"),
    "community": pgettext_lazy("source tier", "Community"),
    "unverified": pgettext_lazy("source tier", "Unverified"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def tier_label(tier: str) -> str:
    return str(TIER_LABELS.get(tier, tier))


def official_links(service) -> list[tuple[str, str]]:
    """The service's official links that are set, labelled for readers."""
    links = [
        (pgettext_lazy("official link", "Help centre"), service.help_url),
        (pgettext_lazy("official link", "Official account"), service.official_account_url),
        (pgettext_lazy("official link", "Status page"), service.status_page_url),
    ]
    return [(str(label), url) for label, url in links if url]


def alternatives_for(service: Service) -> list[dict]:
    """The service's alternatives for readers, with the note in the active language."""
    french = (translation.get_language() or "en").startswith("fr")
    items = []
    for alternative in service.alternatives or []:
        if not isinstance(alternative, dict) or not alternative.get("name"):
            continue
        note = alternative.get("note_fr" if french else "note_en") or alternative.get("note_en")
        items.append(
            {
                "name": str(alternative["name"]),
                "url": safe_url(alternative.get("url")),
                "note": str(note or ""),
            }
        )
    return items
