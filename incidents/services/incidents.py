"""Opening, changing, resolving and dismissing incidents.

Every write here is audited. Changes to a public incident are announced with `incident_changed`
after commit, so caches of the public page and the banner refresh only with committed data.
Changes are optimistic-locked on `Incident.version`: a form carries the version it was rendered
from, and saving it after someone else saved raises `IncidentConflict` instead of overwriting.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from incidents.events import incident_changed, send_on_commit
from incidents.models import Component, Incident, Service
from incidents.services.faq import faq_prefill
from incidents.services.slugs import incident_slug, incident_slug_follow_title
from outagedesk.audit import Actor, audit_record
from outagedesk.lib.sanitize import clean_text

Status = Incident.Status

# Statuses an editor may set through the state form; "dismissed" has its own action and
# "suspected" is only kept by a detector draft nobody has confirmed yet.
EDITABLE_STATUSES = (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING, Status.RESOLVED)
PLATFORMS = ("android", "ios", "web", "desktop")
MAX_REGIONS = 20


class IncidentError(Exception):
    """A change the rules refuse. `code` names the rule; the newsroom words it for editors."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


class IncidentConflict(IncidentError):
    """The form was rendered from an older version: someone else saved in between."""

    def __init__(self, current: Incident):
        super().__init__("conflict", f"incident {current.pk} is now at version {current.version}")
        self.current = current


def _clean_regions(regions: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for region in regions:
        value = clean_text(region, max_length=60, multiline=False)
        if value and value not in cleaned:
            cleaned.append(value)
    return cleaned[:MAX_REGIONS]


def _clean_platforms(platforms: Iterable[str]) -> list[str]:
    return [p for p in PLATFORMS if p in set(platforms)]


def _affected_services(primary: Service, others: Iterable[Service]) -> list[Service]:
    """The primary service first, then each other affected service once."""
    services = [primary]
    for service in others:
        if service.pk not in {s.pk for s in services}:
            services.append(service)
    return services


def _check_components(
    services: Iterable[Service], components: Iterable[Component]
) -> list[Component]:
    """Components may belong to any affected service, never to a service the incident spares."""
    allowed = {service.pk for service in services}
    components = list(components)
    if any(component.service_id not in allowed for component in components):
        raise IncidentError("component_of_other_service")
    return components


def apply_status(incident: Incident, status: str, now: datetime) -> None:
    """Move `incident` to `status` in memory, keeping its started/resolved times consistent
    with it (started when it first becomes active, resolved only while resolved). The caller
    saves; opening, changing, resolving and publishing an update all go through here."""
    incident.status = status
    if incident.started_at is None and status in (*Incident.ACTIVE_STATUSES, Status.RESOLVED):
        incident.started_at = now
    if status == Status.RESOLVED:
        if incident.resolved_at is None:
            incident.resolved_at = max(now, incident.started_at or now)
    else:
        incident.resolved_at = None


def _announce(incident: Incident) -> None:
    if incident.is_public:
        send_on_commit(incident_changed, incident=incident)


@transaction.atomic
def incident_open(
    *,
    actor: Actor,
    service: Service,
    title: str,
    other_services: Iterable[Service] = (),
    kind: str = Incident.Kind.GLOBAL,
    impact: str = Incident.Impact.MINOR,
    status: str = Status.INVESTIGATING,
    components: Iterable[Component] = (),
    regions: Iterable[str] = (),
    platforms: Iterable[str] = (),
    app_versions: str = "",
    language: str = "fr",
    started_at: datetime | None = None,
    detected_by_detector: bool = False,
) -> Incident:
    """Open an incident (by hand, or as a detector draft with status "suspected").

    `service` is the primary service (its detector and evidence); `other_services` the others
    the outage affects. The incident is not public until its first update is published. Its FAQ
    starts from the service-wide reader questions, unpublished until an editor reviews them."""
    if status not in (*EDITABLE_STATUSES, Status.SUSPECTED) or status == Status.RESOLVED:
        raise IncidentError("bad_status")
    title = clean_text(title, max_length=200, multiline=False)
    if not title:
        raise IncidentError("title_required")
    now = timezone.now()
    services = _affected_services(service, other_services)
    components = _check_components(services, components)
    incident = Incident(
        service=service,
        slug=incident_slug(service=service, title=title, when=started_at or now),
        title=title,
        kind=kind,
        impact=impact,
        regions=_clean_regions(regions),
        platforms=_clean_platforms(platforms),
        app_versions=clean_text(app_versions, max_length=200, multiline=False),
        language=language,
        started_at=started_at,
        detected_by_detector=detected_by_detector,
    )
    apply_status(incident, status, now)
    if status == Status.SUSPECTED:
        incident.started_at = started_at or now
    incident.full_clean(exclude=["slug", "components", "services"])
    incident.save()
    incident.services.set(services)
    incident.components.set(components)
    audit_record(
        actor=actor,
        action="incident.open",
        target=incident,
        details={
            "services": [s.slug for s in services],
            "status": incident.status,
            "kind": incident.kind,
            "impact": incident.impact,
            "components": [c.slug for c in components],
            "regions": incident.regions,
            "detector": detected_by_detector,
        },
    )
    faq_prefill(actor=actor, incident=incident)
    return incident


def _lock(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().select_related("service").get(pk=incident.pk)


@transaction.atomic
def incident_change(
    *,
    actor: Actor,
    incident: Incident,
    expected_version: int,
    title: str,
    kind: str,
    impact: str,
    status: str,
    components: Iterable[Component],
    regions: Iterable[str],
    platforms: Iterable[str] = (),
    app_versions: str = "",
    other_services: Iterable[Service] | None = None,
) -> Incident:
    """Save the state form. Raises IncidentConflict when `expected_version` is stale, so the
    caller can show the current state next to what the editor typed. `other_services` replaces
    the affected services besides the primary one (None keeps them); the primary never changes."""
    locked = _lock(incident)
    if locked.version != expected_version:
        raise IncidentConflict(current=locked)
    if status == Status.DISMISSED:
        raise IncidentError("use_dismiss")
    if status == Status.SUSPECTED and locked.status != Status.SUSPECTED:
        raise IncidentError("bad_status")
    if status not in Status.values:
        raise IncidentError("bad_status")
    title = clean_text(title, max_length=200, multiline=False)
    if not title:
        raise IncidentError("title_required")
    current_services = locked.affected_services()
    services = (
        current_services
        if other_services is None
        else _affected_services(locked.service, other_services)
    )
    components = _check_components(services, components)
    before = {
        "services": sorted(s.slug for s in current_services),
        "slug": locked.slug,
        "title": locked.title,
        "kind": locked.kind,
        "impact": locked.impact,
        "status": locked.status,
        "regions": locked.regions,
        "platforms": locked.platforms,
        "app_versions": locked.app_versions,
        "components": sorted(locked.components.values_list("slug", flat=True)),
    }
    locked.title = title
    incident_slug_follow_title(locked)
    locked.kind = kind
    locked.impact = impact
    locked.regions = _clean_regions(regions)
    locked.platforms = _clean_platforms(platforms) if kind == Incident.Kind.APP_BUG else []
    locked.app_versions = (
        clean_text(app_versions, max_length=200, multiline=False)
        if kind == Incident.Kind.APP_BUG
        else ""
    )
    if status != locked.status:
        apply_status(locked, status, timezone.now())
    after = {
        "services": sorted(s.slug for s in services),
        "slug": locked.slug,
        "title": locked.title,
        "kind": locked.kind,
        "impact": locked.impact,
        "status": locked.status,
        "regions": locked.regions,
        "platforms": locked.platforms,
        "app_versions": locked.app_versions,
        "components": sorted(c.slug for c in components),
    }
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changed:
        return locked
    locked.version += 1
    locked.full_clean(exclude=["slug", "components", "services"])
    locked.save()
    if "services" in changed:
        locked.services.set(services)
    locked.components.set(components)
    audit_record(
        actor=actor,
        action="incident.change",
        target=locked,
        details={"changed": changed, "version": locked.version},
    )
    _announce(locked)
    return locked


@transaction.atomic
def incident_dismiss(*, actor: Actor, incident: Incident, reason: str = "") -> Incident:
    """Dismiss a detector draft that turned out to be noise. Only drafts can be dismissed:
    a published incident is corrected or resolved, never made to disappear."""
    locked = _lock(incident)
    if locked.status != Status.SUSPECTED or locked.is_public:
        raise IncidentError("not_a_draft")
    locked.status = Status.DISMISSED
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action="incident.dismiss",
        target=locked,
        details={"reason": clean_text(reason, max_length=500)},
    )
    return locked
