"""Writing sources from the newsroom: the rules a source must meet whatever form it comes
from, and one audit row per change.

The rule that matters most: a source is "official" only for a service of the same owner. A
status page is official for the company that runs it; attached to another company's service
it would let one verified item confirm an outage it says nothing about.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from incidents.models import Service, Source
from incidents.selectors.sources import owner_key
from outagedesk.audit import Actor, audit_record
from outagedesk.lib.sanitize import clean_text

MIN_POLL_SECONDS = 10
MAX_POLL_SECONDS = 86_400
SOURCE_FIELDS = (
    "name",
    "public_label",
    "kind",
    "url",
    "owner",
    "tier",
    "poll_interval_seconds",
    "is_enabled",
)


class SourceError(Exception):
    def __init__(self, code: str, *, field: str = ""):
        super().__init__(code)
        self.code, self.field = code, field


def official_owner_problem(*, tier: str, owner: str, service: Service) -> str:
    """'' when the tier fits, else the error code: official needs the service's own owner."""
    if tier != Source.Tier.OFFICIAL:
        return ""
    if not owner_key(service.owner):
        return "service_without_owner"
    if owner_key(owner) != owner_key(service.owner):
        return "official_other_owner"
    return ""


def source_check(*, service: Service, values: dict[str, Any]) -> None:
    problem = official_owner_problem(
        tier=values.get("tier", ""), owner=values.get("owner", ""), service=service
    )
    if problem:
        raise SourceError(problem, field="tier")
    interval = values.get("poll_interval_seconds") or 0
    if not MIN_POLL_SECONDS <= interval <= MAX_POLL_SECONDS:
        raise SourceError("poll_interval", field="poll_interval_seconds")
    if values.get("kind") not in Source.Kind.values:
        raise SourceError("unknown_kind", field="kind")


def source_save(
    *,
    actor: Actor,
    service: Service,
    source: Source | None,
    values: dict[str, Any],
    config: dict[str, Any],
) -> Source:
    """Create (source=None) or update a source of `service` with a config built by a form."""
    source_check(service=service, values=values)
    with transaction.atomic():
        creating = source is None
        target = (
            Source(service=service)
            if source is None
            else Source.objects.select_for_update().get(pk=source.pk, service=service)
        )
        before = {name: getattr(target, name) for name in SOURCE_FIELDS} if not creating else {}
        before_config = dict(target.config or {}) if not creating else {}
        for name in SOURCE_FIELDS:
            setattr(target, name, values.get(name, getattr(target, name)))
        target.name = clean_text(target.name, max_length=120, multiline=False)
        target.public_label = clean_text(target.public_label, max_length=80, multiline=False)
        target.owner = clean_text(target.owner, max_length=100, multiline=False)
        target.config = config
        if not creating and (before.get("url") != target.url or before.get("kind") != target.kind):
            # Another address: the validators of the old one mean nothing there.
            target.etag, target.last_modified = "", ""
        target.save()
        changed = sorted(n for n in SOURCE_FIELDS if before.get(n) != getattr(target, n))
        audit_record(
            actor=actor,
            action="source.create" if creating else "source.update",
            target=target,
            details={
                "service": service.slug,
                "changed": changed,
                "config_changed": sorted(
                    key
                    for key in set(before_config) | set(config)
                    if before_config.get(key) != config.get(key)
                ),
            },
        )
    return target
