"""Reads of the notifications app."""

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from incidents.models import Incident, Service
from incidents.selectors.public import affecting_services
from notifications.models import Delivery, Subscriber

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Addressed(TypedDict):
    """What recipients_for_incident annotates each subscriber with (for the type checker)."""

    address: str


# Where a subscription delivers: one message per update goes to each address, however many of
# the incident's services it is subscribed to (email address, webhook URL, browser endpoint).
CHANNEL_ADDRESS = Case(
    When(channel=Subscriber.Channel.EMAIL, then=F("email")),
    When(channel=Subscriber.Channel.WEBHOOK, then=F("webhook_url")),
    When(channel=Subscriber.Channel.PUSH, then=KeyTextTransform("endpoint", "push_subscription")),
    default=Value(""),
    output_field=CharField(),
)


def address_key(channel: str, address: str | None, subscriber_id: int) -> tuple[str, str]:
    """What two subscriptions share when they reach the same reader; a subscription without an
    address (never expected) is its own."""
    return (channel, address or f"#{subscriber_id}")


def recipients_for_incident(
    incident: Incident, *, confirmed_before: datetime
) -> "QuerySet[WithAnnotations[Subscriber, _Addressed]]":
    """Who is told about an update of `incident`: active subscribers confirmed before
    `confirmed_before`, of any service the incident affects, service-wide or to this incident,
    each annotated with its channel `address`. The same address may appear more than once (a
    reader of WhatsApp and of Instagram); the fan-out sends to each address once."""
    # A subquery, so counting the audience stays one query (the composer asks on every change).
    service_ids = Service.objects.filter(
        Q(pk=incident.service_id) | Q(affecting_incidents=incident)
    ).values("pk")
    return Subscriber.objects.filter(
        Q(incident__isnull=True) | Q(incident=incident),
        service_id__in=service_ids,
        is_active=True,
        confirmed_at__isnull=False,
        confirmed_at__lte=confirmed_before,
    ).annotate(address=CHANNEL_ADDRESS)


def audience_counts(incident: Incident, *, confirmed_before: datetime) -> dict[str, int]:
    """Channel → how many distinct addresses an update of `incident` would reach now (what the
    composer announces; the fan-out sends exactly that many)."""
    counts = dict.fromkeys(Subscriber.Channel.values, 0)
    rows = (
        recipients_for_incident(incident, confirmed_before=confirmed_before)
        .values("channel", "address")
        .distinct()
        .order_by()
    )
    for row in rows:
        counts[row["channel"]] += 1
    return counts


def subscribable_services() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True).order_by("name")


def service_for_slug(slug: str) -> Service | None:
    if not slug:
        return None
    return subscribable_services().filter(slug=slug).first()


def incident_for_slug(service: Service, slug: str) -> Incident | None:
    """A public incident affecting `service` readers may subscribe to."""
    if not slug:
        return None
    return (
        Incident.objects.filter(affecting_services(service_slugs=[service.slug]))
        .filter(slug=slug, is_public=True)
        .first()
    )


def subscriber_for_key(key: str) -> Subscriber | None:
    return Subscriber.objects.select_related("service", "incident").filter(key=key).first()


def delivery_progress(update_id: int) -> dict[str, int]:
    """How many deliveries of one update are in each state (for staff and the bench)."""
    counts = dict.fromkeys(Delivery.State.values, 0)
    rows = (
        Delivery.objects.filter(update_id=update_id)
        .values("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["state"]] = row["n"]
    return counts


def subscriber_owed_confirmation(subscriber_id: int) -> Subscriber | None:
    """The email subscription or webhook (its owner's address) whose double opt-in mail is
    still owed, or None (sent already, given up, or the subscription is gone): a task delivered
    twice sends once."""
    return (
        Subscriber.objects.select_related("service", "incident")
        .filter(
            pk=subscriber_id,
            channel__in=(Subscriber.Channel.EMAIL, Subscriber.Channel.WEBHOOK),
            confirmation_due_at__isnull=False,
        )
        .first()
    )


def subscriber_reach(incident: Incident) -> dict[str, int]:
    """How many readers an update of `incident` would reach now, per channel (the composer's
    sentence): the distinct addresses the fan-out would send to, across every affected
    service. One grouped query."""
    return audience_counts(incident, confirmed_before=timezone.now())
