"""Composing and publishing timestamped updates.

- Templates and editors write placeholders ({service}, {components}, {regions}, {since}, {time},
  {sources}, {alternatives}, {official_links}); they are filled from the incident at publish time,
  so {time} is the moment of publication. Unknown braces are left as typed.
- The sources sentence ("Selon Downdetector et le compte officiel de WhatsApp") is built from the
  incident's verified evidence, never typed, so attribution follows what editors checked.
- The two-source rule is enforced here, not only in the form: an update states a confirmed
  outage only with CONFIRMATION_MIN_SOURCES verified items from independent owners, or one
  verified item from an official source. An admin may override with a written reason (audited).
- Updates are append-only: a correction is a new update pointing at the one it corrects.

Wording is per update language (French or English), not per editor's interface language, so the
phrases live in tables here rather than in a translation catalogue.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from incidents.events import incident_changed, send_on_commit, update_published
from incidents.models import Evidence, Incident, IncidentUpdate, ResponseTemplate, Service, Source
from incidents.services.incidents import _apply_status
from outagedesk.audit import audit_record
from outagedesk.lib.sanitize import clean_text
from outagedesk.roles import ADMIN, has_role

Status = Incident.Status
PUBLISHABLE_STATUSES = (
    Status.INVESTIGATING,
    Status.IDENTIFIED,
    Status.MONITORING,
    Status.RESOLVED,
)
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


# --- Sources and the two-source rule ---------------------------------------------------------


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


@dataclass(frozen=True)
class VerifiedBasis:
    """What an update rests on: the distinct sources of the incident's verified evidence
    (best tier first), and how many verified items there are. Loaded in one query whatever the
    number of items, so the composer stays fast on a big incident."""

    sources: tuple[Source, ...] = ()
    verified_count: int = 0


def verified_basis(incident: Incident) -> VerifiedBasis:
    sources = list(
        Source.objects.filter(
            evidence__incident=incident, evidence__state=Evidence.State.VERIFIED
        ).annotate(verified_items=Count("evidence"))
    )
    return basis_from_sources(sources, sum(s.verified_items for s in sources))


def basis_from_evidence(evidence: Iterable[Evidence]) -> VerifiedBasis:
    """The same basis computed from evidence already in memory (unverified items ignored)."""
    sources: dict[int, Source] = {}
    count = 0
    for item in evidence:
        if item.state == Evidence.State.VERIFIED:
            sources.setdefault(item.source_id, item.source)
            count += 1
    return basis_from_sources(list(sources.values()), count)


def basis_from_sources(sources: list[Source], verified_count: int) -> VerifiedBasis:
    ordered = sorted(sources, key=lambda s: (TIER_ORDER.get(s.tier, 99), s.name, s.pk))
    return VerifiedBasis(sources=tuple(ordered), verified_count=verified_count)


def sources_list(*, basis: VerifiedBasis, language: str, service: Service) -> str:
    """ "Downdetector et le compte officiel de WhatsApp": the verified sources, best tier first."""
    labels: list[str] = []
    for source in basis.sources:
        label = source_label(source, language=language, service_name=service.name)
        if label not in labels:
            labels.append(label)
    return _join(labels, language)


def sources_sentence(*, basis: VerifiedBasis, language: str, service: Service) -> str:
    """ "Selon Downdetector et le compte officiel de WhatsApp", or "" without verified evidence."""
    listed = sources_list(basis=basis, language=language, service=service)
    return _phrases(language)["according_to"].format(sources=listed) if listed else ""


def _owner_key(source: Source) -> str:
    # Sources with no recorded owner all count as one unknown owner: independence must be
    # shown, not assumed.
    return (source.owner or "").strip().lower()


@dataclass(frozen=True)
class ConfirmationCheck:
    """Whether the verified evidence lets an update state a confirmed outage, and why not."""

    required: int
    independent_sources: tuple[str, ...] = ()  # one source name per independent owner
    official_sources: tuple[str, ...] = ()
    verified_count: int = 0

    @property
    def independent_count(self) -> int:
        return len(self.independent_sources)

    @property
    def has_official(self) -> bool:
        return bool(self.official_sources)

    @property
    def ok(self) -> bool:
        return self.has_official or self.independent_count >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.independent_count)


def confirmation_check(*, basis: VerifiedBasis) -> ConfirmationCheck:
    """Two items are independent only when both their Source and its owner differ: counting
    distinct owners among the verified sources gives exactly that."""
    owners: dict[str, str] = {}
    official: list[str] = []
    for source in basis.sources:
        owners.setdefault(_owner_key(source), source.name)
        if source.tier == Source.Tier.OFFICIAL and source.name not in official:
            official.append(source.name)
    return ConfirmationCheck(
        required=settings.CONFIRMATION_MIN_SOURCES,
        independent_sources=tuple(owners.values()),
        official_sources=tuple(official),
        verified_count=basis.verified_count,
    )


# --- Placeholders ----------------------------------------------------------------------------


def _component_names(incident: Incident, language: str) -> list[str]:
    field_name = "name_fr" if language.startswith("fr") else "name_en"
    return [getattr(c, field_name) for c in incident.components.all()]


def _region_names(regions: list[str], language: str) -> list[str]:
    phrases = _phrases(language)
    return [phrases["world"] if r.strip().lower() in WORLD_REGIONS else r for r in regions]


def placeholder_values(
    *, incident: Incident, language: str, now: datetime, basis: VerifiedBasis
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
        "sources": sources_list(basis=basis, language=language, service=service)
        or phrases["no_sources"],
        "alternatives": _join(alternatives, language, "or") or phrases["no_alternatives"],
        "official_links": phrases["link_separator"].join(links),
    }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace known placeholders only; "{other}" and lone braces stay as typed."""
    return _PLACEHOLDER_RE.sub(lambda match: values[match.group(1)], text or "")


@dataclass(frozen=True)
class Draft:
    title: str
    message: str
    advice: str = ""
    call_to_action: str = ""
    sources_text: str = ""
    values: dict[str, str] = field(default_factory=dict)


def draft_render(
    *,
    incident: Incident,
    language: str,
    title: str,
    message: str,
    advice: str = "",
    call_to_action: str = "",
    now: datetime | None = None,
    basis: VerifiedBasis | None = None,
) -> Draft:
    """The update as it would be published now: placeholders filled, text cleaned."""
    now = now or timezone.now()
    if basis is None:
        basis = verified_basis(incident)
    values = placeholder_values(incident=incident, language=language, now=now, basis=basis)
    return Draft(
        title=clean_text(fill_placeholders(title, values), max_length=200, multiline=False),
        message=clean_text(fill_placeholders(message, values), max_length=5000),
        advice=clean_text(fill_placeholders(advice, values), max_length=2000),
        call_to_action=clean_text(
            fill_placeholders(call_to_action, values), max_length=300, multiline=False
        ),
        sources_text=sources_sentence(basis=basis, language=language, service=incident.service),
        values=values,
    )


def template_render(
    *, template: ResponseTemplate, incident: Incident, now: datetime | None = None
) -> Draft:
    """A template filled from the incident, in the template's language."""
    return draft_render(
        incident=incident,
        language=template.language,
        title=template.title,
        message=template.message,
        advice=template.advice,
        call_to_action=template.call_to_action,
        now=now,
    )


def notify_default(*, incident: Incident, status: str) -> bool:
    """Subscribers hear of a new incident, a status change and the resolution by default;
    smaller follow-ups do not wake them up."""
    if status == Status.RESOLVED or status != incident.status:
        return True
    return not incident.updates.exists()


# --- Publishing ------------------------------------------------------------------------------


class UpdateError(Exception):
    """A publication the rules refuse; `code` names the rule, the newsroom words it."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


class ConfirmationBlocked(UpdateError):
    def __init__(self, check: ConfirmationCheck, *, reason_missing: bool = False):
        super().__init__(
            "confirmation_blocked",
            f"{check.independent_count} independent verified source(s), {check.required} needed",
        )
        self.check = check
        # True when an admin asked to override without writing why.
        self.reason_missing = reason_missing


class UpdateConflict(UpdateError):
    """Someone published another update after this composer was opened."""

    def __init__(self, latest: IncidentUpdate | None):
        super().__init__("conflict", "another update was published meanwhile")
        self.latest = latest


@transaction.atomic
def update_publish(
    *,
    actor,
    incident: Incident,
    title: str,
    message: str,
    advice: str = "",
    call_to_action: str = "",
    status: str | None = None,
    language: str | None = None,
    confirmed: bool = False,
    notify: bool | None = None,
    override_reason: str = "",
    corrects: IncidentUpdate | None = None,
    correction_note: str = "",
    expected_last_update_id: int | None = None,
    template: ResponseTemplate | None = None,
) -> IncidentUpdate:
    """Publish an update: the incident becomes public and takes the update's status.

    `expected_last_update_id` (0 for "none yet") guards against two editors announcing the
    same thing: if another update was published since the composer opened, UpdateConflict."""
    locked = Incident.objects.select_for_update().select_related("service").get(pk=incident.pk)
    if locked.status == Status.DISMISSED:
        raise UpdateError("dismissed")
    latest = locked.updates.order_by("-published_at", "-id").first()
    if expected_last_update_id is not None and (latest.pk if latest else 0) != int(
        expected_last_update_id
    ):
        raise UpdateConflict(latest)

    correction_note = clean_text(correction_note, max_length=300, multiline=False)
    if corrects is not None:
        if corrects.incident_id != locked.pk:
            raise UpdateError("correction_of_other_incident")
        if not correction_note:
            raise UpdateError("correction_note_required")
        # A correction fixes what was said; it does not move the incident on.
        status = locked.status if locked.status in PUBLISHABLE_STATUSES else corrects.status
    elif correction_note:
        raise UpdateError("correction_note_without_correction")
    if status is None:
        status = locked.status if locked.status in PUBLISHABLE_STATUSES else Status.INVESTIGATING
    if status not in PUBLISHABLE_STATUSES:
        raise UpdateError("bad_status")
    language = language or locked.language
    if language not in dict(settings.LANGUAGES):
        raise UpdateError("bad_language")

    basis = verified_basis(locked)
    check = confirmation_check(basis=basis)
    override_reason = clean_text(override_reason, max_length=500, multiline=False)
    overridden = False
    if confirmed and not check.ok:
        is_admin = has_role(actor, ADMIN)
        if not (is_admin and override_reason):
            raise ConfirmationBlocked(check, reason_missing=is_admin)
        overridden = True

    now = timezone.now()
    draft = draft_render(
        incident=locked,
        language=language,
        title=title,
        message=message,
        advice=advice,
        call_to_action=call_to_action,
        now=now,
        basis=basis,
    )
    if not draft.title:
        raise UpdateError("title_required")
    if not draft.message:
        raise UpdateError("message_required")
    if notify is None:
        notify = corrects is None and notify_default(incident=locked, status=status)

    update = IncidentUpdate.objects.create(
        incident=locked,
        status=status,
        is_confirmed=confirmed,
        title=draft.title,
        message=draft.message,
        advice=draft.advice,
        call_to_action=draft.call_to_action,
        sources_text=draft.sources_text[:500],
        language=language,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        published_at=now,
        notify=notify,
        corrects=corrects,
        correction_note=correction_note,
        confirmation_override_reason=override_reason if overridden else "",
    )
    cited = Evidence.objects.filter(incident=locked, state=Evidence.State.VERIFIED)
    update.evidence.set(list(cited.values_list("pk", flat=True)))

    before = (locked.status, locked.is_public, locked.resolved_at)
    if locked.status != status:
        _apply_status(locked, status, now)
    locked.is_public = True
    locked.version += 1
    locked.save()

    audit_record(
        actor=actor,
        action="update.correct" if corrects else "update.publish",
        target=update,
        details={
            "incident": locked.pk,
            "status": status,
            "confirmed": confirmed,
            "notify": notify,
            "sources": [source.pk for source in basis.sources],
            "verified_items": basis.verified_count,
            "template": template.slug if template else "",
            "corrects": corrects.pk if corrects else None,
            "correction_note": correction_note,
        },
    )
    if overridden:
        audit_record(
            actor=actor,
            action="update.confirmation_override",
            target=update,
            details={
                "reason": override_reason,
                "independent_sources": list(check.independent_sources),
                "required": check.required,
            },
        )
    send_on_commit(update_published, update=update)
    if (locked.status, locked.is_public, locked.resolved_at) != before:
        send_on_commit(incident_changed, incident=locked)
    return update
