"""Test data builders: one typed function per object the tests make, with keyword defaults for
everything a test does not care about, so a test names only what it is about.

Each builder passes any other model field straight through (`**fields`), and leaves alone what
it is not given, so the model's own defaults apply. Fixtures (conftest.py) call these; tests
import them from here, never from a conftest module.
"""

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from django.contrib.auth.models import Group, User
from django.utils import timezone

from comments.models import Comment
from incidents.models import Evidence, Incident, IncidentUpdate, Service, Source
from notifications.models import Subscriber

PASSWORD = "correct-horse-battery-staple"

_numbers = count(1)


def make_user(username: str, role: str | None = None, **extra: Any) -> User:
    """An account with PASSWORD; with a role, a staff member of that role's group."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )
    if role:
        user.is_staff = True
        user.is_superuser = role == "admin"
        user.save()
        # get_or_create: browser tests flush the database, roles included.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def make_incident(
    service: Service,
    *,
    slug: str | None = None,
    title: str = "WhatsApp: possible outage",
    **fields: Any,
) -> Incident:
    """An incident of `service`; status, impact, language… are the model's defaults unless given
    (a suspected, private draft in French)."""
    return Incident.objects.create(
        service=service, slug=slug or f"incident-{next(_numbers)}", title=title, **fields
    )


def make_update(
    incident: Incident,
    *,
    title: str = "Messages are not delivered",
    message: str = "",
    status: str | None = None,
    language: str | None = None,
    published_at: datetime | None = None,
    **fields: Any,
) -> IncidentUpdate:
    """An update row only (no signal: see tests/support/publishing.py to publish one). Status
    and language are the incident's, the message repeats the title, published now."""
    return IncidentUpdate.objects.create(
        incident=incident,
        title=title,
        message=message or title,
        status=status or incident.status,
        language=language or incident.language,
        published_at=published_at or timezone.now(),
        **fields,
    )


def make_source(
    service: Service,
    kind: str = Source.Kind.MASTODON,
    url: str = "",
    *,
    name: str | None = None,
    owner: str | None = None,
    tier: str = Source.Tier.COMMUNITY,
    poll_interval_seconds: int = 60,
    **config: Any,
) -> Source:
    """A source of `service`; extra keyword arguments become its collector config."""
    return Source.objects.create(
        service=service,
        name=name or f"{kind} {url}",
        kind=kind,
        url=url,
        tier=tier,
        owner=kind if owner is None else owner,
        config=config,
        poll_interval_seconds=poll_interval_seconds,
    )


def make_evidence(
    source: Source,
    *,
    text: str = "WhatsApp is down for me",
    minutes_ago: float = 5,
    dedup_key: str | None = None,
    **fields: Any,
) -> Evidence:
    """An unverified observation from `source`, made `minutes_ago`."""
    return Evidence.objects.create(
        source=source,
        service=source.service,
        text=text,
        observed_at=timezone.now() - timedelta(minutes=minutes_ago),
        dedup_key=dedup_key or f"k{next(_numbers)}",
        **fields,
    )


def make_comment(
    incident: Incident,
    *,
    name: str = "Camille",
    text: str = "Toujours rien chez moi à Lyon depuis midi.",
    status: str = Comment.Status.PENDING,
    address_hash: str = "",
    **fields: Any,
) -> Comment:
    """A stored reader comment, as if it had passed the submission rules (none run here)."""
    return Comment.objects.create(
        incident=incident,
        name=name,
        text=text,
        status=status,
        address_hash=address_hash,
        **fields,
    )


def make_subscriber(
    service: Service,
    *,
    channel: str = Subscriber.Channel.EMAIL,
    confirmed: bool = True,
    language: str = "en",
    **fields: Any,
) -> Subscriber:
    """A subscriber of `service`; `confirmed` means it confirmed five minutes ago."""
    if confirmed:
        fields.setdefault("confirmed_at", timezone.now() - timedelta(minutes=5))
    return Subscriber.objects.create(channel=channel, service=service, language=language, **fields)
