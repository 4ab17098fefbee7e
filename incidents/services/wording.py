"""How published text is worded: per content language (French or English), not per editor's
interface language, so the phrases live in tables here rather than in a translation catalogue.

- The values placeholders stand for are built from these phrases by `incidents.placeholders`.
- Sources are named the way readers know them: "Downdetector", "le compte officiel de
  WhatsApp", "des utilisateurs sur Mastodon".
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from incidents.models import Service, Source

# Per language: phrases (str) and the month names (a tuple), hence Any for the values.
PHRASES: dict[str, dict[str, Any]] = {
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
        "eta_unknown": "Aucune heure de retour à la normale n'a encore été annoncée.",
        "eta_back": "Le service fonctionne de nouveau depuis {time}.",
        "see_last_update": "voir l'heure de la dernière mise à jour en haut de cette page",
        # French typography: narrow no-break space before ";", no-break space before ":".
        "link_separator": "\u202f; ",
        "label_colon": "\u00a0: ",
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
        "eta_unknown": "No time for a return to normal has been announced yet.",
        "eta_back": "The service has been working again since {time}.",
        "see_last_update": "see the time of the last update at the top of this page",
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
NETWORK_NAMES: dict[str, str] = {
    Source.Kind.MASTODON: "Mastodon",
    Source.Kind.BLUESKY: "Bluesky",
    Source.Kind.REDDIT: "Reddit",
    Source.Kind.HN: "Hacker News",
    Source.Kind.X: "X",
}
WORLD_REGIONS = {"world", "worldwide", "global", "monde", "monde entier"}
TIER_ORDER = {tier: rank for rank, tier in enumerate(Source.Tier.values)}


def sources_in_tier_order(sources: Iterable[Source]) -> list[Source]:
    """Best tier first, then by name: the order in which an update cites its sources."""
    return sorted(sources, key=lambda s: (TIER_ORDER.get(s.tier, 99), s.name, s.pk))


def phrases_for(language: str) -> dict[str, Any]:
    """The phrase table of a content language (English for any other)."""
    return PHRASES.get((language or "en")[:2], PHRASES["en"])


def join_words(items: list[str], language: str, word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {phrases_for(language)[word]} {items[-1]}"


def format_time(moment: datetime, language: str) -> str:
    local = timezone.localtime(moment)
    text = phrases_for(language)["time"].format(hour=local.hour, minute=local.minute)
    return f"{text} ({local.tzname()})"


def format_since(moment: datetime, language: str, now: datetime) -> str:
    """Time only when it is today, the date too otherwise."""
    local, local_now = timezone.localtime(moment), timezone.localtime(now)
    if local.date() == local_now.date():
        return format_time(moment, language)
    phrases = phrases_for(language)
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
    phrases = phrases_for(language)
    if source.tier == Source.Tier.OFFICIAL:
        if source.kind in (Source.Kind.STATUSPAGE, Source.Kind.FEED):
            return str(phrases["official_status_page"].format(service=service_name))
        if source.kind in NETWORK_NAMES:
            return str(phrases["official_account"].format(service=service_name))
        return source.name
    if source.kind == Source.Kind.READER:
        return str(phrases["readers"])
    if source.kind == Source.Kind.PROBE:
        return str(phrases["probe"])
    if source.kind == Source.Kind.REPORTS and source.owner:
        return source.owner if not source.owner.islower() else source.owner.capitalize()
    if source.kind in NETWORK_NAMES and source.tier in (
        Source.Tier.COMMUNITY,
        Source.Tier.UNVERIFIED,
    ):
        return str(phrases["community"].format(network=NETWORK_NAMES[source.kind]))
    return source.name


def sources_list(*, sources: Iterable[Source], language: str, service: Service) -> str:
    """ "Downdetector et le compte officiel de WhatsApp": the given sources in order, each
    reader-facing name once."""
    labels: list[str] = []
    for source in sources:
        label = source_label(source, language=language, service_name=service.name)
        if label not in labels:
            labels.append(label)
    return join_words(labels, language)


def sources_sentence(*, sources: Iterable[Source], language: str, service: Service) -> str:
    """ "Selon Downdetector et le compte officiel de WhatsApp", or "" without sources."""
    listed = sources_list(sources=sources, language=language, service=service)
    return phrases_for(language)["according_to"].format(sources=listed) if listed else ""
