"""Idempotent demo seeding: every row is matched on a natural key, so running it twice is safe
and never overwrites what editors changed."""

import ipaddress
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from comments.models import CannedReply
from demo import seed_data, seed_templates
from demo.comment_seeding import seed_comments
from incidents.models import (
    Component,
    FAQEntry,
    Incident,
    IncidentUpdate,
    ResponseTemplate,
    Service,
    Source,
)
from incidents.placeholders import placeholders_fill_from


def _seed_service() -> Service:
    data: dict[str, Any] = dict(seed_data.SERVICE)
    service, _ = Service.objects.get_or_create(slug=data.pop("slug"), defaults=data)
    if not service.owner:
        # Demos seeded before services had an owner: without it every "official" source counts.
        service.owner, service.regions = data["owner"], service.regions or data["regions"]
        service.save(update_fields=["owner", "regions"])
    _seed_components(service, seed_data.COMPONENTS)
    return service


def _seed_components(service: Service, components) -> None:
    for position, (slug, name_en, name_fr, keywords) in enumerate(components):
        Component.objects.get_or_create(
            service=service,
            slug=slug,
            defaults={
                "name_en": name_en,
                "name_fr": name_fr,
                "keywords": keywords,
                "position": position,
            },
        )


def _seed_meta_services() -> list[Service]:
    """Instagram, Messenger and Facebook, down with WhatsApp on 4 October 2021."""
    services = []
    for slug, definition in seed_data.META_SERVICES.items():
        service, _ = Service.objects.get_or_create(slug=slug, defaults=definition["service"])
        _seed_components(service, definition["components"])
        services.append(service)
    return services


def _seed_sources(service: Service, replay_url: str) -> int:
    created = 0
    for name, owner in seed_data.RETIRED_SOURCES.items():
        Source.objects.filter(service=service, name=name).exclude(owner=owner).update(
            owner=owner, is_enabled=False
        )
    for definition in seed_data.source_definitions(replay_url):
        data = dict(definition)
        if not data["url"] and data["kind"] != "reader":
            data["is_enabled"] = False
        source, was_created = Source.objects.get_or_create(
            service=service, name=data.pop("name"), defaults=data
        )
        if not was_created and replay_url and not source.url and data["url"]:
            # A replay URL given later fills in the demo sources seeded without one.
            source.url = data["url"]
            source.is_enabled = data.get("is_enabled", True)
            source.save(update_fields=["url", "is_enabled"])
        elif not was_created and replay_url and _replay_moved(source.url, data["url"]):
            # The replay takes a free port on each run: follow it, or the demo gathers nothing.
            source.url = data["url"]
            source.save(update_fields=["url"])
        if not was_created and not source.public_label and data.get("public_label"):
            source.public_label = data["public_label"]
            source.save(update_fields=["public_label"])
        created += was_created
    return created


def _replay_moved(current: str, wanted: str) -> bool:
    """Whether `current` is the same recorded file on an earlier run's local replay (another
    port). A URL an editor pointed elsewhere is not on loopback, and is left alone."""
    if not current or current == wanted:
        return False
    old, new = urlsplit(current), urlsplit(wanted)
    name = PurePosixPath(new.path).name
    return (
        bool(name)
        and PurePosixPath(old.path).name == name
        and _is_loopback(old.hostname)
        and _is_loopback(new.hostname)
    )


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _seed_faq(service: Service) -> int:
    created = 0
    for position, question in enumerate(seed_data.READER_QUESTIONS):
        for language in ("fr", "en"):
            text, answer = question[language]
            entry, was_created = FAQEntry.objects.get_or_create(
                service=service,
                incident=None,
                language=language,
                question=text,
                defaults={"answer": answer, "position": position, "is_published": True},
            )
            if not was_created and _as_shipped_before(entry.answer, answer):
                entry.answer = answer
                entry.save(update_fields=["answer"])
            created += was_created
    return created


def _seed_canned_replies() -> int:
    created = 0
    for question in seed_data.READER_QUESTIONS:
        for language in ("fr", "en"):
            text, answer = question[language]
            reply, was_created = CannedReply.objects.get_or_create(
                category=question["category"],
                language=language,
                defaults={"question": text, "text": answer},
            )
            if not was_created and _as_shipped_before(reply.text, answer):
                reply.text = answer
                reply.save(update_fields=["text"])
            created += was_created
    return created


def _as_shipped_before(stored: str, current: str) -> bool:
    """Whether `stored` is `current` as an earlier release shipped it, before French typography
    (plain spaces where no-break spaces now stand): unedited, so it may take the new text."""
    return stored != current and stored == current.replace("\u00a0", " ")


TEMPLATE_TEXT_FIELDS = ("name", "title", "message", "advice", "call_to_action")


def _seed_templates() -> int:
    """Templates by slug. A stored template that still reads exactly as an earlier release
    shipped it takes the current wording; one an editor changed is left as they wrote it."""
    created = 0
    for template in seed_data.TEMPLATES:
        data = dict(template)
        stored, was_created = ResponseTemplate.objects.get_or_create(
            slug=data.pop("slug"), defaults=data
        )
        created += was_created
        previous = seed_templates.PREVIOUS_TEMPLATES.get(stored.slug)
        if not was_created and previous and _reads_as(stored, previous):
            for name in TEMPLATE_TEXT_FIELDS:
                setattr(stored, name, data[name])
            stored.save(update_fields=list(TEMPLATE_TEXT_FIELDS))
    return created


def _reads_as(template: ResponseTemplate, texts: dict[str, str]) -> bool:
    return all(getattr(template, name) == texts[name] for name in TEMPLATE_TEXT_FIELDS)


def _seed_past_incident(service: Service) -> int:
    data: dict[str, Any] = dict(seed_data.PAST_INCIDENT)
    others = list(Service.objects.filter(slug__in=data.pop("other_services")))
    existing = Incident.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        # Demos seeded when it was WhatsApp's alone: it affects the others too (add keeps
        # what is there, so a second run changes nothing).
        existing.services.add(service, *others)
        return 0
    updates = data.pop("updates")
    component_slugs = data.pop("components")
    incident = Incident.objects.create(service=service, is_public=True, **data)
    incident.services.set([service, *others])
    incident.components.set(Component.objects.filter(service=service, slug__in=component_slugs))
    for update in updates:
        IncidentUpdate.objects.create(
            incident=incident,
            status=update["status"],
            is_confirmed=update["confirmed"],
            title=update["title"],
            message=update["message"],
            sources_text=update["sources"],
            advice=update["advice"],
            language=incident.language,
            published_at=update["at"],
            notify=False,
        )
    for position, question in enumerate(seed_data.READER_QUESTIONS):
        text, answer = question["fr"]
        FAQEntry.objects.create(
            service=service,
            incident=incident,
            language="fr",
            question=text,
            answer=placeholders_fill_from(answer, incident=incident, language="fr"),
            is_published=True,
            position=position,
        )
    return 1


def seed_demo(*, replay_url: str = "") -> dict[str, int]:
    """Create the demo data; returns how many rows of each kind were newly created."""
    service = _seed_service()
    _seed_meta_services()
    return {
        "sources": _seed_sources(service, replay_url),
        "faq": _seed_faq(service),
        "canned replies": _seed_canned_replies(),
        "templates": _seed_templates(),
        "past incidents": _seed_past_incident(service),
        "moderation words": seed_comments(),
    }


def demo_users_ensure(password: str) -> list[str]:
    """Demo staff accounts for the embedded mode: one per role, all with `password`."""
    user_model = get_user_model()
    names = []
    for role in ("editor", "moderator", "admin"):
        username = f"demo-{role}"
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": role == "admin"}
        )
        if created:
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=role))
        names.append(username)
    return names
