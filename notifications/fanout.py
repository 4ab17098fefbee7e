"""Fan-out of a published update: one Delivery row per subscriber, sent in batches on the
`notify` queue, plus the sweep that recovers what a killed worker left behind.

The Delivery rows are created with bulk_create(ignore_conflicts=True) against the
`delivery_once` constraint, so a fan-out run twice, or resumed, never creates a second row for
a subscriber. Progress is kept on a Fanout row (a cursor over subscriber ids and a lease), so a
fan-out whose worker died is resumed by the sweep from where it stopped.

An incident may affect several services: their subscribers are told once per address (email,
webhook URL, browser endpoint), by the subscription with the lowest id among them, so a reader
of WhatsApp and of Instagram gets one message per update, not two.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from incidents.models import IncidentUpdate
from notifications.conf import conf
from notifications.models import Delivery, Fanout, Subscriber
from notifications.selectors import CHANNEL_ADDRESS, address_key, recipients_for_incident
from outagedesk.audit import audit_record

logger = logging.getLogger(__name__)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# How a batch of delivery ids is handed on: the task module passes the deliver task's
# `delay_on_commit` (so a worker never looks for rows it cannot see yet); the bench collects.
BatchSink = Callable[[list[int]], object]


def delivery_batches(delivery_ids: list[int]) -> list[list[int]]:
    """The deliveries split into the batches one `deliver_batch_task` sends."""
    return list(_chunks(delivery_ids, conf("NOTIFY_BATCH_SIZE")))


def _hand_on(delivery_ids: list[int], enqueue_batch: BatchSink) -> None:
    for batch in delivery_batches(delivery_ids):
        enqueue_batch(batch)


def subscribers_for_update(update: IncidentUpdate, *, confirmed_before: datetime):
    """Who may be told about `update`: active, confirmed (before the fan-out began) subscribers
    of any service its incident affects, service-wide or to this incident, with their channel
    `address` (one address may hold several of these rows; see `_first_per_address`)."""
    return recipients_for_incident(update.incident, confirmed_before=confirmed_before)


def _served_addresses(update: IncidentUpdate) -> set[tuple[str, str]]:
    """The addresses that already have a delivery of `update` (a resumed fan-out skips them)."""
    rows = (
        Subscriber.objects.filter(deliveries__update=update)
        .annotate(address=CHANNEL_ADDRESS)
        .values_list("pk", "channel", "address")
    )
    return {address_key(channel, address, pk) for pk, channel, address in rows}


def _first_per_address(rows: list[tuple[int, str, str]], served: set[tuple[str, str]]) -> list[int]:
    """The subscribers of `rows` (walked in id order) whose address has no delivery yet: the
    lowest id of each address gets the one delivery, so a reader subscribed to two of the
    incident's services (or to the service and the incident) gets one message per update."""
    chosen = []
    for pk, channel, address in rows:
        key = address_key(channel, address, pk)
        if key not in served:
            served.add(key)
            chosen.append(pk)
    return chosen


def fanout_run(*, update_id: int, enqueue_batch: BatchSink) -> int:
    """Create the deliveries of one update and hand their batches to `enqueue_batch` as each
    chunk commits (sending starts while the fan-out goes on); returns how many deliveries the
    update has. Safe to run twice or concurrently; resumes after a crash."""
    update = (
        IncidentUpdate.objects.select_related("incident__service")
        .prefetch_related("incident__services")
        .filter(pk=update_id)
        .first()
    )
    if update is None or not update.notify:
        return 0
    if not update.incident.is_public:
        # Drafts and suspected incidents are never announced to subscribers.
        logger.info("update %s not fanned out: its incident is not public", update_id)
        return 0
    fanout, created = Fanout.objects.get_or_create(update=update)
    if created:
        audit_record(
            actor=None,
            action="notification.fanout_start",
            target=update,
            details={"incident": update.incident.slug},
        )
    now = timezone.now()
    lease = timedelta(seconds=conf("NOTIFY_LEASE_SECONDS"))
    claimed = (
        Fanout.objects.filter(pk=fanout.pk, completed_at__isnull=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + lease)
    )
    if not claimed:
        return 0  # finished, or another worker is on it
    fanout.refresh_from_db()
    subscribers = subscribers_for_update(update, confirmed_before=fanout.created_at)
    chunk = conf("NOTIFY_FANOUT_CHUNK")
    cursor = fanout.cursor
    served = _served_addresses(update) if cursor else set()
    if cursor:
        # Resuming after a crash: the batches enqueued before it may have died with it.
        with transaction.atomic():
            _hand_on(
                list(
                    Delivery.objects.filter(
                        update=update, subscriber_id__lte=cursor, state=Delivery.State.PENDING
                    )
                    .order_by("pk")
                    .values_list("pk", flat=True)
                ),
                enqueue_batch,
            )
    while True:
        rows = list(
            subscribers.filter(pk__gt=cursor)
            .order_by("pk")
            .values_list("pk", "channel", "address")[:chunk]
        )
        if not rows:
            break
        ids = _first_per_address(rows, served)
        last = rows[-1][0]
        if not ids:
            Fanout.objects.filter(pk=fanout.pk).update(
                cursor=last, lease_until=timezone.now() + lease
            )
            cursor = last
            continue
        with transaction.atomic():
            Delivery.objects.bulk_create(
                [Delivery(subscriber_id=i, update=update, due_at=now) for i in ids],
                ignore_conflicts=True,
                batch_size=500,
            )
            pending = list(
                Delivery.objects.filter(
                    update=update,
                    subscriber_id__gte=ids[0],
                    subscriber_id__lte=ids[-1],
                    state=Delivery.State.PENDING,
                )
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            _hand_on(pending, enqueue_batch)
            Fanout.objects.filter(pk=fanout.pk).update(
                cursor=last, lease_until=timezone.now() + lease
            )
        cursor = last
    total = Delivery.objects.filter(update=update).count()
    with transaction.atomic():
        Fanout.objects.filter(pk=fanout.pk).update(
            completed_at=timezone.now(), lease_until=None, deliveries_created=total
        )
        audit_record(
            actor=None,
            action="notification.fanout_done",
            target=update,
            details={"deliveries": total},
        )
    return total


def unstarted_fanouts(*, now: datetime) -> list[int]:
    """Updates to announce whose fan-out never started: its task was never enqueued (the broker
    was down at publish time, see receivers.on_update_published) or was lost before it ran. Only
    within NOTIFY_UNSTARTED_MAX_AGE: an announcement that old is history, not news."""
    grace = timedelta(seconds=conf("NOTIFY_SWEEP_GRACE_SECONDS"))
    oldest = now - timedelta(seconds=conf("NOTIFY_UNSTARTED_MAX_AGE"))
    return list(
        IncidentUpdate.objects.filter(
            notify=True,
            incident__is_public=True,
            fanout__isnull=True,
            published_at__lt=now - grace,
            published_at__gte=oldest,
        )
        .order_by("published_at")
        .values_list("pk", flat=True)
    )


@dataclass
class SweepOutcome:
    """What the sweep found no live task handling; the sweep task enqueues it."""

    fanouts: list[int] = field(default_factory=list)  # update ids whose fan-out must (re)start
    batches: list[list[int]] = field(default_factory=list)  # delivery ids, per deliver task
    expired: int = 0
    overdue: int = 0


def sweep(*, now: datetime | None = None, limit: int = 50_000) -> SweepOutcome:
    """Find what no live task will handle: fan-outs that never started or whose lease expired
    (their worker died), claimed deliveries whose lease expired, and pending deliveries long
    overdue (their task was lost). Enqueueing again something a task still holds is harmless:
    claims make it a no-op."""
    now = now or timezone.now()
    grace = timedelta(seconds=conf("NOTIFY_SWEEP_GRACE_SECONDS"))
    stalled_fanouts = list(
        Fanout.objects.filter(completed_at__isnull=True)
        .filter(Q(lease_until__lt=now) | Q(lease_until__isnull=True, created_at__lt=now - grace))
        .values_list("update_id", flat=True)
    )
    stalled_fanouts += unstarted_fanouts(now=now)

    expired = list(
        Delivery.objects.filter(state=Delivery.State.SENDING, lease_until__lt=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    overdue_before = now - timedelta(seconds=conf("NOTIFY_SWEEP_GRACE_SECONDS"))
    overdue = list(
        Delivery.objects.filter(state=Delivery.State.PENDING, due_at__lte=overdue_before)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    with transaction.atomic():
        for ids in _chunks(overdue, 1000):
            # Moved to now, so the next sweep waits a full grace period before doing it again.
            Delivery.objects.filter(pk__in=ids, state=Delivery.State.PENDING).update(due_at=now)
    if stalled_fanouts or expired or overdue:
        audit_record(
            actor=None,
            action="notification.sweep_recovered",
            details={
                "fanouts": stalled_fanouts[:50],
                "expired_claims": len(expired),
                "overdue": len(overdue),
            },
        )
        logger.warning(
            "notification sweep: %s fan-outs resumed, %s expired claims and %s overdue "
            "deliveries re-enqueued",
            len(stalled_fanouts),
            len(expired),
            len(overdue),
        )
    return SweepOutcome(
        fanouts=stalled_fanouts,
        batches=delivery_batches(expired + overdue),
        expired=len(expired),
        overdue=len(overdue),
    )
