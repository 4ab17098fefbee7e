"""Writing services (WhatsApp, Instagram…) from the newsroom: the service, its components and
its alternatives are saved together or not at all, every change is audited, and a service that
has incidents is archived, never deleted (its public pages and feeds must keep their history).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from incidents.models import Component, Service
from outagedesk.audit import Actor, audit_record
from outagedesk.lib.sanitize import clean_text

MAX_KEYWORDS = 30
MAX_KEYWORD_LENGTH = 60
MAX_REGIONS = 30
MAX_ALTERNATIVES = 8
MAX_COMPONENTS = 20

SERVICE_FIELDS = (
    "name",
    "slug",
    "owner",
    "description",
    "help_url",
    "official_account_url",
    "status_page_url",
)


class ServiceError(Exception):
    """A rule the input breaks; `field` names the form field it belongs to ('' for the form)."""

    def __init__(self, code: str, *, field: str = "", index: int | None = None):
        super().__init__(code)
        self.code, self.field, self.index = code, field, index


@dataclass
class ComponentInput:
    slug: str
    name_en: str
    name_fr: str
    keywords: list[str] = field(default_factory=list)
    pk: int | None = None
    delete: bool = False


@dataclass
class AlternativeInput:
    name: str
    url: str = ""
    note_en: str = ""
    note_fr: str = ""


def _check(
    *,
    service: Service | None,
    values: dict[str, Any],
    components: list[ComponentInput],
    alternatives: list[AlternativeInput],
) -> None:
    slug_taken = Service.objects.filter(slug=values["slug"])
    if service is not None:
        slug_taken = slug_taken.exclude(pk=service.pk)
    if slug_taken.exists():
        raise ServiceError("slug_taken", field="slug")
    if len(values.get("regions") or []) > MAX_REGIONS:
        raise ServiceError("too_many_regions", field="regions")
    kept = [c for c in components if not c.delete]
    if len(kept) > MAX_COMPONENTS:
        raise ServiceError("too_many_components")
    seen: set[str] = set()
    for index, component in enumerate(components):
        if component.delete:
            continue
        if len(component.keywords) > MAX_KEYWORDS:
            raise ServiceError("too_many_keywords", field="keywords", index=index)
        if any(len(word) > MAX_KEYWORD_LENGTH for word in component.keywords):
            raise ServiceError("keyword_too_long", field="keywords", index=index)
        if component.slug in seen:
            raise ServiceError("component_slug_twice", field="slug", index=index)
        seen.add(component.slug)
    if len(alternatives) > MAX_ALTERNATIVES:
        raise ServiceError("too_many_alternatives")
    for index, alternative in enumerate(alternatives):
        if not alternative.name.strip():
            raise ServiceError("alternative_without_name", field="name", index=index)


def _alternatives_json(alternatives: list[AlternativeInput]) -> list[dict[str, str]]:
    return [
        {
            "name": clean_text(a.name, max_length=60, multiline=False),
            "url": a.url,
            "note_en": clean_text(a.note_en, max_length=160, multiline=False),
            "note_fr": clean_text(a.note_fr, max_length=160, multiline=False),
        }
        for a in alternatives
    ]


def _save_components(service: Service, components: list[ComponentInput]) -> dict[str, list[str]]:
    existing = {c.pk: c for c in service.components.all()}
    changes: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    position = 0
    for index, item in enumerate(components):
        current = existing.get(item.pk) if item.pk else None
        if item.delete:
            if current is not None:
                if current.incidents.exists():
                    raise ServiceError("component_in_use", field="slug", index=index)
                changes["removed"].append(current.slug)
                current.delete()
            continue
        target = current or Component(service=service)
        target.slug = item.slug
        target.name_en = clean_text(item.name_en, max_length=100, multiline=False)
        target.name_fr = clean_text(item.name_fr, max_length=100, multiline=False)
        target.keywords = [clean_text(w, max_length=MAX_KEYWORD_LENGTH) for w in item.keywords]
        target.position = position
        position += 1
        changes["changed" if current else "added"].append(item.slug)
        target.save()
    return changes


def service_save(
    *,
    actor: Actor,
    service: Service | None,
    values: dict[str, Any],
    components: list[ComponentInput],
    alternatives: list[AlternativeInput],
) -> Service:
    """Create (service=None) or update a service with its components and alternatives, in one
    transaction: a refused component or alternative leaves nothing half-saved."""
    _check(service=service, values=values, components=components, alternatives=alternatives)
    with transaction.atomic():
        creating = service is None
        target = (
            Service() if service is None else Service.objects.select_for_update().get(pk=service.pk)
        )
        before = {name: getattr(target, name) for name in SERVICE_FIELDS} if not creating else {}
        for name in SERVICE_FIELDS:
            setattr(target, name, values.get(name, "") or "")
        target.name = clean_text(target.name, max_length=100, multiline=False)
        target.owner = clean_text(target.owner, max_length=100, multiline=False)
        target.description = clean_text(target.description, max_length=2000)
        target.regions = [
            clean_text(r, max_length=60, multiline=False) for r in values.get("regions") or []
        ]
        target.alternatives = _alternatives_json(alternatives)
        target.save()
        component_changes = _save_components(target, components)
        audit_record(
            actor=actor,
            action="service.create" if creating else "service.update",
            target=target,
            details={
                "changed": sorted(
                    name for name in SERVICE_FIELDS if before.get(name) != getattr(target, name)
                ),
                "components": component_changes,
                "alternatives": [a["name"] for a in target.alternatives],
                "regions": target.regions,
            },
        )
    return target


def service_archive(*, actor: Actor, service: Service, archived: bool = True) -> Service:
    """Stop (or resume) tracking a service: it leaves the new-incident form and the list of
    tracked services; its incidents, pages and sources are kept as they are."""
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        locked.is_active = not archived
        locked.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="service.archive" if archived else "service.restore",
            target=locked,
        )
    return locked


def service_delete(*, actor: Actor, service: Service) -> None:
    """Remove a service created by mistake. Refused when it has incidents: archive it instead."""
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if locked.incidents.exists():
            raise ServiceError("service_has_incidents")
        audit_record(
            actor=actor,
            action="service.delete",
            target=locked,
            details={"slug": locked.slug, "name": locked.name},
        )
        locked.delete()
