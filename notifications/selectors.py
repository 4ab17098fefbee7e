"""Reads of the notifications app."""

from django.db.models import Count, Q

from incidents.models import Incident, Service
from notifications.models import Delivery, Subscriber


def subscribable_services():
    return Service.objects.filter(is_active=True).order_by("name")


def service_for_slug(slug: str) -> Service | None:
    if not slug:
        return None
    return subscribable_services().filter(slug=slug).first()


def incident_for_slug(service: Service, slug: str) -> Incident | None:
    """A public incident of `service` readers may subscribe to."""
    if not slug:
        return None
    return Incident.objects.filter(service=service, slug=slug, is_public=True).first()


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
    """How many subscribers an update of `incident` would reach now, per channel: the active,
    confirmed subscribers of its service, service-wide or to this incident (whom the fan-out
    tells). One grouped query for every channel."""
    counts = dict.fromkeys(Subscriber.Channel.values, 0)
    rows = (
        Subscriber.objects.filter(
            Q(incident__isnull=True) | Q(incident=incident),
            service_id=incident.service_id,
            is_active=True,
            confirmed_at__isnull=False,
        )
        .values("channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["channel"]] = row["n"]
    return counts
