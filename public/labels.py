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


KIND_LABELS = {
    "global": pgettext_lazy("incident kind", "Global outage"),
    "regional": pgettext_lazy("incident kind", "Regional outage"),
    "feature": pgettext_lazy("incident kind", "Some features affected"),
    "app_bug": pgettext_lazy("incident kind", "App bug"),
}
IMPACT_LABELS = {
    "critical": pgettext_lazy("incident impact", "Critical impact"),
    "major": pgettext_lazy("incident impact", "Major impact"),
    "minor": pgettext_lazy("incident impact", "Minor impact"),
    "none": pgettext_lazy("incident impact", "Impact being assessed"),
}
# What readers are told a source is when the newsroom gave it no public label: its kind in
# neutral words, never the internal name editors gave it.
SOURCE_KIND_LABELS = {
    "statuspage": pgettext_lazy("source kind", "Status page"),
    "feed": pgettext_lazy("source kind", "News feed"),
    "mastodon": pgettext_lazy("source kind", "Mastodon"),
    "bluesky": pgettext_lazy("source kind", "Bluesky"),
    "reddit": pgettext_lazy("source kind", "Reddit"),
    "hn": pgettext_lazy("source kind", "Hacker News"),
    "x": pgettext_lazy("source kind", "X (Twitter)"),
    "reports": pgettext_lazy("source kind", "Outage report counter"),
    "probe": pgettext_lazy("source kind", "Availability check"),
    "reader": pgettext_lazy("source kind", "Reader reports"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, KIND_LABELS["global"]))


def impact_label(impact: str) -> str:
    return str(IMPACT_LABELS.get(impact, IMPACT_LABELS["none"]))


def source_label(source) -> str:
    """The name readers see for a source: its public label, else its kind in neutral words."""
    label = (getattr(source, "public_label", "") or "").strip()
    if label:
        return label
    return str(SOURCE_KIND_LABELS.get(source.kind, pgettext_lazy("source kind", "Other source")))


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
