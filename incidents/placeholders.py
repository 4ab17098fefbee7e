"""The one placeholder engine: every text filled from an incident (announcement templates and
the composer, canned replies, FAQ answers) uses these names, in French and in English alike.

- `placeholders_known()` lists the vocabulary; `placeholders_unknown(text)` names what a text
  writes in braces that is not in it; `placeholders_left(text)` names what a filled text still
  holds in braces. Only known names are ever replaced, by plain substitution: str.format would
  let a text written in the admin reach attributes of the objects behind the values.
- `placeholder_values(...)` builds the values in the text's language (phrases from
  `incidents.services.wording`); `placeholders_fill(text, values)` replaces them.
- `placeholders_fill_from(text, incident=..., language=...)` does both, computing only the
  values the text uses (the moderation queue fills a reply per row).
- Values nobody knows yet (no component named, no verified source) can be asked for as markers
  instead of a guess: `placeholder_marker("components", "fr")` is "[à compléter : composants]".
  The composer fills templates that way, so the editor sees exactly what is missing;
  `markers_left(text)` finds them, and publishing refuses a text that still holds one.
"""

import re
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import ngettext

from incidents.models import Evidence, Incident, Source
from incidents.services.wording import (
    WORLD_REGIONS,
    format_since,
    format_time,
    join_words,
    phrases_for,
    sources_in_tier_order,
    sources_list,
)
from outagedesk.lib.sanitize import safe_url

PLACEHOLDERS = (
    "service",
    "status",
    "components",
    "regions",
    "since",
    "time",
    "last_update_time",
    "eta_text",
    "sources",
    "recovery_sources",
    "alternatives",
    "official_links",
)
# Any {identifier}: known names are filled, the others are reported and left as typed.
_BRACED_NAME = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# What a marker calls each value the editor must supply, per content language.
MARKER_NAMES = {
    "fr": {
        "components": "composants touchés",
        "regions": "régions touchées",
        "sources": "sources",
        "recovery_sources": "ce qui montre le rétablissement (source vérifiée)",
    },
    "en": {
        "components": "affected components",
        "regions": "affected regions",
        "sources": "sources",
        "recovery_sources": "what shows the recovery (verified source)",
    },
}
_MARKER_WORDS = {"fr": "à compléter", "en": "to fill"}
# "[à compléter : composants]" or "[to fill: components]", whatever spaces surround the colon.
_MARKER = re.compile(r"\[\s*(?:à compléter|a completer|to fill)\s*:\s*([^\[\]]{0,80})\]", re.I)


def placeholders_known() -> list[str]:
    return list(PLACEHOLDERS)


def _names_in(text: str) -> list[str]:
    return list(dict.fromkeys(_BRACED_NAME.findall(text or "")))


def placeholders_used(text: str) -> list[str]:
    """The known placeholders a text uses, in order of first use."""
    return [name for name in _names_in(text) if name in PLACEHOLDERS]


def placeholders_unknown(text: str) -> list[str]:
    """Names a template or reply writes in braces that no value exists for ("{official_lnk}")."""
    return [name for name in _names_in(text) if name not in PLACEHOLDERS]


def placeholders_refused(texts: dict[str, str]) -> dict[str, str]:
    """Per field, why a template or reply cannot be saved: the placeholders it writes that
    nothing fills ("{official_lnk}"). Left in, they would block every publication from it."""
    refused = {}
    for field_name, text in texts.items():
        if unknown := placeholders_unknown(text):
            refused[field_name] = ngettext(
                "Unknown placeholder: %(names)s. Known placeholders: %(known)s.",
                "Unknown placeholders: %(names)s. Known placeholders: %(known)s.",
                len(unknown),
            ) % {
                "names": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            }
    return refused


def placeholders_left(text: str) -> list[str]:
    """Names still in braces in a filled text: nothing filled them, readers would see them."""
    return _names_in(text)


def placeholder_marker(name: str, language: str) -> str:
    """The visible gap left for the editor where a value is not known yet. French typography:
    a no-break space before the colon."""
    lang = "fr" if (language or "").startswith("fr") else "en"
    label = MARKER_NAMES[lang].get(name, name)
    colon = "\u00a0:" if lang == "fr" else ":"
    return f"[{_MARKER_WORDS[lang]}{colon} {label}]"


def markers_left(text: str) -> list[str]:
    """The markers a text still holds ("[to fill: components]"), as written, in order."""
    return list(dict.fromkeys(match.group(0) for match in _MARKER.finditer(text or "")))


def markers_split(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_marker) pairs, in order, for showing markers highlighted."""
    pieces, start = [], 0
    for match in _MARKER.finditer(text or ""):
        if match.start() > start:
            pieces.append((text[start : match.start()], False))
        pieces.append((match.group(0), True))
        start = match.end()
    if start < len(text or ""):
        pieces.append((text[start:], False))
    return pieces


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """Replace the known placeholders that have a value; anything else stays as typed."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        return values.get(name, match.group(0)) if name in PLACEHOLDERS else match.group(0)

    return _BRACED_NAME.sub(value, text or "")


def placeholders_fill_from(
    text: str,
    *,
    incident: Incident,
    language: str,
    now: datetime | None = None,
    last_update_at: datetime | None = None,
    lasting: bool = False,
) -> str:
    """`text` filled from `incident` in `language`, computing only the values it uses."""
    names = placeholders_used(text)
    if not names:
        return text or ""
    values = placeholder_values(
        incident=incident,
        language=language,
        now=now,
        last_update_at=last_update_at,
        lasting=lasting,
        names=names,
    )
    return placeholders_fill(text, values)


def placeholder_values(
    *,
    incident: Incident,
    language: str,
    now: datetime | None = None,
    sources: Iterable[Source] | None = None,
    last_update_at: datetime | None = None,
    lasting: bool = False,
    names: Iterable[str] = PLACEHOLDERS,
    mark_unknown: bool = False,
) -> dict[str, str]:
    """What each placeholder in `names` stands for, in `language`.

    sources: the sources an update rests on (default: the incident's verified sources).
    last_update_at: when the latest update was published, if the caller already knows it.
    lasting: the text stays on a page for hours (an FAQ answer), so clock times would go stale:
    {time} and {last_update_time} point to the page's own "last update" line instead.
    mark_unknown: a value nobody knows yet (no component, region or verified source) becomes a
    marker for the editor to fill (`placeholder_marker`) instead of the general fallback."""
    now = now or timezone.now()
    phrases = phrases_for(language)
    service = incident.service
    wanted = set(names)
    values: dict[str, str] = {}

    def since(moment: datetime) -> str:
        return format_since(moment, language, now)

    if "service" in wanted:
        values["service"] = service.name
    if "status" in wanted:
        with translation.override(language):
            values["status"] = str(incident.get_status_display())
    if "components" in wanted:
        field_name = "name_fr" if language.startswith("fr") else "name_en"
        components = [getattr(c, field_name) for c in incident.components.all()]
        values["components"] = ", ".join(components) or (
            placeholder_marker("components", language)
            if mark_unknown
            else phrases["all_components"]
        )
    if "regions" in wanted:
        regions = [
            phrases["world"] if r.strip().lower() in WORLD_REGIONS else r
            for r in incident.regions or []
        ]
        values["regions"] = ", ".join(regions) or (
            placeholder_marker("regions", language) if mark_unknown else phrases["all_regions"]
        )
    if "since" in wanted:
        values["since"] = since(incident.started_at or incident.created_at or now)
    if "time" in wanted:
        values["time"] = phrases["see_last_update"] if lasting else format_time(now, language)
    if "last_update_time" in wanted:
        if lasting:
            values["last_update_time"] = phrases["see_last_update"]
        else:
            latest = last_update_at or _last_update_at(incident)
            values["last_update_time"] = since(
                latest or incident.started_at or incident.created_at or now
            )
    if "eta_text" in wanted:
        values["eta_text"] = (
            phrases["eta_back"].format(time=since(incident.resolved_at))
            if incident.resolved_at
            else phrases["eta_unknown"]
        )
    if "sources" in wanted:
        cited = _verified_sources(incident) if sources is None else sources
        values["sources"] = sources_list(sources=cited, language=language, service=service) or (
            placeholder_marker("sources", language) if mark_unknown else phrases["no_sources"]
        )
    if "recovery_sources" in wanted:
        # A recovery rests on what was verified after it (the official status page back to
        # operational, fresh reports), never on the evidence of the outage itself; with nothing
        # verified since, the editor must say what they rely on: publication refuses the marker.
        values["recovery_sources"] = sources_list(
            sources=_recovery_sources(incident, last_update_at=last_update_at),
            language=language,
            service=service,
        ) or placeholder_marker("recovery_sources", language)
    if "alternatives" in wanted:
        values["alternatives"] = _alternatives(service.alternatives, language)
    if "official_links" in wanted:
        # Without official links, the incident's own page is where readers find the facts.
        values["official_links"] = _official_links(service, language) or (
            f"{settings.SITE_URL}{incident.get_absolute_url()}"
        )
    return values


def _official_links(service, language: str) -> str:
    """ "Help centre: https://…; Status page: https://…", or "" when the service has none."""
    phrases = phrases_for(language)
    links = [
        f"{phrases[name]}{phrases['label_colon']}{url}"
        for name in ("help_url", "official_account_url", "status_page_url")
        if (url := safe_url(getattr(service, name)))
    ]
    return phrases["link_separator"].join(links)


def _alternatives(alternatives: object, language: str) -> str:
    """ "Telegram ou Signal": names only, as announcements are also pushed and mailed as short
    texts; the pages list the alternatives with their links."""
    named = [
        str(alternative["name"])
        for alternative in (alternatives if isinstance(alternatives, list) else [])
        if isinstance(alternative, dict) and alternative.get("name")
    ]
    return join_words(named, language, "or") or phrases_for(language)["no_alternatives"]


def _last_update_at(incident: Incident) -> datetime | None:
    return incident.updates.order_by("-published_at").values_list("published_at", flat=True).first()


def _recovery_sources(incident: Incident, *, last_update_at: datetime | None) -> list[Source]:
    """Sources of the items verified since the recovery (the resolution, or before it the last
    update, which still described the outage)."""
    since = incident.resolved_at or last_update_at or _last_update_at(incident)
    if since is None:
        return []
    verified = Source.objects.filter(
        evidence__incident=incident,
        evidence__state=Evidence.State.VERIFIED,
        evidence__observed_at__gt=since,
    ).distinct()
    return sources_in_tier_order(verified)


def _verified_sources(incident: Incident) -> list[Source]:
    verified = Source.objects.filter(
        evidence__incident=incident, evidence__state=Evidence.State.VERIFIED
    ).distinct()
    return sources_in_tier_order(verified)


# What a text can be filled with when no incident is behind it (a service page on a quiet day).
SERVICE_PLACEHOLDERS = ("service", "alternatives", "official_links")


def placeholders_fill_for_service(text: str, *, service, language: str) -> str:
    """`text` filled with what the service alone says (its name, alternatives, official links).
    Names that need an incident ({since}, {status}…) stay in braces: the caller checks
    `placeholders_left` and leaves out a text that still holds any."""
    names = [name for name in placeholders_used(text) if name in SERVICE_PLACEHOLDERS]
    if not names:
        return text or ""
    values: dict[str, str] = {}
    if "service" in names:
        values["service"] = service.name
    if "alternatives" in names:
        values["alternatives"] = _alternatives(service.alternatives, language)
    if "official_links" in names:
        # Without official links, the service's own page lists what there is.
        values["official_links"] = _official_links(service, language) or (
            f"{settings.SITE_URL}/services/{service.slug}/"
        )
    return placeholders_fill(text, values)
