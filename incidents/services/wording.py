"""How updates are worded: per update language (French or English), not per editor's interface
language, so the phrases live in tables here rather than in a translation catalogue.

- Placeholders ({service}, {components}, {regions}, {since}, {time}, {sources}, {alternatives},
  {official_links}) are filled from the incident; unknown braces are left as typed.
- Sources are named the way readers know them: "Downdetector", "le compte officiel de
  WhatsApp", "des utilisateurs sur Mastodon".
"""

import re
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from incidents.models import Incident, Service, Source

PLACEHOLDERS = (
    "service",
    "components",
    "regions",
    "since",
    "time",
    "sources",
    "alternatives",
    "official_links",
)
_PLACEHOLDER_RE = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")

PHRASES = {
    "fr": {
        "according_to": "Selon {sources}",
        "and": "et",
        "or": "ou",
        "official_status_page": "la page de statut officielle de {service}",
        "official_account": "le compte officiel de {service}",
        "community": "des utilisateurs sur {network}",
        "readers": "des témoignages de lecteurs",
        "probe": "nos propres tests de connexion",
        "no_sources": "des signalements d'utilisateurs",
        "all_components": "l'ensemble du service",
        "all_regions": "toutes les régions",
        "world": "le monde entier",
        "help_url": "Centre d'aide",
        "official_account_url": "Compte officiel",
        "status_page_url": "Page de statut",
        "no_alternatives": "les SMS et les appels téléphoniques",
        "link_separator": " ; ",
        "label_colon": " : ",
        "months": (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
        "time": "{hour} h {minute:02d}",
        "date_time": "{day} {month}{year} à {time}",
    },
    "en": {
        "according_to": "According to {sources}",
        "and": "and",
        "or": "or",
        "official_status_page": "the official {service} status page",
        "official_account": "the official {service} account",
        "community": "users on {network}",
        "readers": "reports from our readers",
        "probe": "our own connection checks",
        "no_sources": "user reports",
        "all_components": "the whole service",
        "all_regions": "all regions",
        "world": "worldwide",
        "help_url": "Help centre",
        "official_account_url": "Official account",
        "status_page_url": "Status page",
        "no_alternatives": "text messages and phone calls",
        "link_separator": "; ",
        "label_colon": ": ",
        "months": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        "time": "{hour:02d}:{minute:02d}",
        "date_time": "{day} {month}{year}, {time}",
    },
}
NETWORK_NAMES = {
    Source.Kind.MASTODON: "Mastodon",
    Source.Kind.BLUESKY: "Bluesky",
    Source.Kind.REDDIT: "Reddit",
    Source.Kind.HN: "Hacker News",
    Source.Kind.X: "X",
}
WORLD_REGIONS = {"world", "worldwide", "global", "monde", "monde entier"}
TIER_ORDER = {tier: rank for rank, tier in enumerate(Source.Tier.values)}


def _phrases(language: str) -> dict:
    return PHRASES.get((language or "en")[:2], PHRASES["en"])


def _join(items: list[str], language: str, word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_phrases(language)[word]} {items[-1]}"


def format_time(moment: datetime, language: str) -> str:
    local = timezone.localtime(moment)
    text = _phrases(language)["time"].format(hour=local.hour, minute=local.minute)
    return f"{text} ({local.tzname()})"


def format_since(moment: datetime, language: str, now: datetime) -> str:
    """Time only when it is today, the date too otherwise."""
    local, local_now = timezone.localtime(moment), timezone.localtime(now)
    if local.date() == local_now.date():
        return format_time(moment, language)
    phrases = _phrases(language)
    clock = phrases["time"].format(hour=local.hour, minute=local.minute)
    when = phrases["date_time"].format(
        day=local.day,
        month=phrases["months"][local.month - 1],
        year=f" {local.year}" if local.year != local_now.year else "",
        time=clock,
    )
    return f"{when} ({local.tzname()})"


# --- How sources are named ---------------------------------------------------------------------


def source_label(source: Source, *, language: str, service_name: str) -> str:
    """How a source is named to readers: the publisher for monitors, the network for posts."""
    phrases = _phrases(language)
    if source.tier == Source.Tier.OFFICIAL:
        if source.kind in (Source.Kind.STATUSPAGE, Source.Kind.FEED):
            return phrases["official_status_page"].format(service=service_name)
        if source.kind in NETWORK_NAMES:
            return phrases["official_account"].format(service=service_name)
        return source.name
    if source.kind == Source.Kind.READER:
        return phrases["readers"]
    if source.kind == Source.Kind.PROBE:
        return phrases["probe"]
    if source.kind == Source.Kind.REPORTS and source.owner:
        return source.owner if not source.owner.islower() else source.owner.capitalize()
    if source.kind in NETWORK_NAMES and source.tier in (
        Source.Tier.COMMUNITY,
        Source.Tier.UNVERIFIED,
    ):
        return phrases["community"].format(network=NETWORK_NAMES[source.kind])
    return source.name


def sources_list(*, sources: Iterable[Source], language: str, service: Service) -> str:
    """ "Downdetector et le compte officiel de WhatsApp": the given sources in order, each
    reader-facing name once."""
    labels: list[str] = []
    for source in sources:
        label = source_label(source, language=language, service_name=service.name)
        if label not in labels:
            labels.append(label)
    return _join(labels, language)


def sources_sentence(*, sources: Iterable[Source], language: str, service: Service) -> str:
    """ "Selon Downdetector et le compte officiel de WhatsApp", or "" without sources."""
    listed = sources_list(sources=sources, language=language, service=service)
    return _phrases(language)["according_to"].format(sources=listed) if listed else ""


def _component_names(incident: Incident, language: str) -> list[str]:
    field_name = "name_fr" if language.startswith("fr") else "name_en"
    return [getattr(c, field_name) for c in incident.components.all()]


def _region_names(regions: list[str], language: str) -> list[str]:
    phrases = _phrases(language)
    return [phrases["world"] if r.strip().lower() in WORLD_REGIONS else r for r in regions]


def placeholder_values(
    *, incident: Incident, language: str, now: datetime, sources: Iterable[Source]
) -> dict[str, str]:
    phrases = _phrases(language)
    service = incident.service
    components = _component_names(incident, language)
    regions = _region_names(list(incident.regions or []), language)
    alternatives = [a.get("name", "") for a in service.alternatives or [] if a.get("name")]
    links = [
        f"{phrases[name]}{phrases['label_colon']}{url}"
        for name in ("help_url", "official_account_url", "status_page_url")
        if (url := getattr(service, name))
    ]
    return {
        "service": service.name,
        "components": ", ".join(components) or phrases["all_components"],
        "regions": ", ".join(regions) or phrases["all_regions"],
        "since": format_since(incident.started_at or incident.created_at or now, language, now),
        "time": format_time(now, language),
        "sources": sources_list(sources=sources, language=language, service=service)
        or phrases["no_sources"],
        "alternatives": _join(alternatives, language, "or") or phrases["no_alternatives"],
        "official_links": phrases["link_separator"].join(links),
    }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace known placeholders only; "{other}" and lone braces stay as typed."""
    return _PLACEHOLDER_RE.sub(lambda match: values[match.group(1)], text or "")
