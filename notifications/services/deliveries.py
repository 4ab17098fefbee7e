"""Sending deliveries, each exactly once.

A delivery is claimed with one conditional UPDATE (pending → sending, attempts + 1, a lease),
so of two workers holding the same delivery (a task delivered twice, the sweep re-enqueueing a
batch) only one sends. The claimed `attempts` value is the claim's token: marking the result
is conditional on it, right after the send. A worker killed mid-send leaves a `sending` row
whose lease expires; only then may the delivery be claimed again.
"""

import logging
import random
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.utils import timezone

from notifications.channels import email as email_channel
from notifications.channels import push as push_channel
from notifications.channels import webhook as webhook_channel
from notifications.channels.base import DeliveryError, EndpointGone, RetryableError
from notifications.conf import conf
from notifications.messages import UpdateMessage
from notifications.models import Delivery, Subscriber
from notifications.services.subscriptions import subscriber_disable, subscriber_remove_gone

logger = logging.getLogger(__name__)

State = Delivery.State


@dataclass
class BatchOutcome:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    # Deliveries that failed here and will be retried, and when the last of them is due.
    retry_ids: list[int] = field(default_factory=list)
    retry_due: datetime | None = None
    # Deliveries not reached within the batch's time budget: for a new task, now.
    leftover_ids: list[int] = field(default_factory=list)

    def add_retry(self, delivery_id: int, due: datetime) -> None:
        self.retry_ids.append(delivery_id)
        self.retry_due = due if self.retry_due is None else max(self.retry_due, due)


def claimable(now: datetime) -> Q:
    """Pending and due, or sending under a lease that expired (its worker died)."""
    return Q(state=State.PENDING, due_at__lte=now) | Q(state=State.SENDING, lease_until__lt=now)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter: base, 2×base, 4×base… capped."""
    base = conf("NOTIFY_RETRY_BASE_SECONDS")
    seconds = min(base * 2 ** max(attempts - 1, 0), conf("NOTIFY_RETRY_MAX_SECONDS"))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


class _Batch:
    def __init__(self) -> None:
        self.contents: dict[int, UpdateMessage] = {}
        self.mail_connection: BaseEmailBackend | None = None

    def content(self, delivery: Delivery) -> UpdateMessage:
        if delivery.update_id not in self.contents:
            self.contents[delivery.update_id] = UpdateMessage(delivery.update)
        return self.contents[delivery.update_id]

    def mail(self) -> BaseEmailBackend:
        if self.mail_connection is None:
            self.mail_connection = email_channel.open_connection()
        if getattr(self.mail_connection, "connection", True) is None:
            # Opened here, not by send_messages, so one SMTP session serves the whole batch
            # (and is opened again after a transport error closed it).
            try:
                self.mail_connection.open()
            except (smtplib.SMTPException, OSError) as exc:
                raise RetryableError(f"mail server: {type(exc).__name__}: {exc}"[:500]) from exc
        return self.mail_connection

    def close(self) -> None:
        if self.mail_connection is not None:
            try:
                self.mail_connection.close()
            except Exception:  # closing a broken session must not fail the batch
                logger.debug("closing the mail connection failed", exc_info=True)

    def send(self, delivery: Delivery) -> None:
        subscriber = delivery.subscriber
        content = self.content(delivery)
        if subscriber.channel == Subscriber.Channel.EMAIL:
            connection = self.mail()
            message = email_channel.update_email(content, subscriber, delivery.pk)
            email_channel.send(connection, message)
        elif subscriber.channel == Subscriber.Channel.WEBHOOK:
            webhook_channel.send_update(content, subscriber, delivery.pk)
        elif subscriber.channel == Subscriber.Channel.PUSH:
            push_channel.send_update(content, subscriber)
        else:
            raise DeliveryError(f"unknown channel {subscriber.channel!r}")


def deliveries_send(
    delivery_ids: Iterable[int], *, budget_seconds: float | None = None
) -> BatchOutcome:
    """Claim and send the given deliveries one by one; returns what happened to them.

    Deliveries already sent, or claimed by a live worker, are left alone, so running the same
    batch twice (or concurrently) sends nothing twice.
    """
    budget = conf("NOTIFY_BATCH_TIME_BUDGET") if budget_seconds is None else budget_seconds
    started = time.monotonic()
    outcome = BatchOutcome()
    deliveries = list(
        Delivery.objects.filter(pk__in=list(delivery_ids), state__in=[State.PENDING, State.SENDING])
        .select_related("subscriber__service", "update__incident__service")
        .order_by("pk")
    )
    batch = _Batch()
    try:
        for index, delivery in enumerate(deliveries):
            # At least one per run, so a batch always makes progress.
            if index and time.monotonic() - started > budget:
                outcome.leftover_ids = [d.pk for d in deliveries[index:]]
                break
            _deliver_one(batch, delivery, outcome)
    finally:
        batch.close()
    return outcome


def _deliver_one(batch: _Batch, delivery: Delivery, outcome: BatchOutcome) -> None:
    now = timezone.now()
    if delivery.state == State.PENDING and delivery.due_at > now:
        # Not due yet: the task scheduled with its retry (or the sweep) will come back for it.
        return
    subscriber = delivery.subscriber
    if not subscriber.is_active or subscriber.confirmed_at is None:
        skipped = (
            Delivery.objects.filter(pk=delivery.pk)
            .filter(claimable(now))
            .update(
                state=State.SKIPPED,
                lease_until=None,
                last_error="subscription disabled or not confirmed",
            )
        )
        outcome.skipped += skipped
        return
    attempt = delivery.attempts + 1
    claimed = (
        Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
        .filter(claimable(now))
        .update(
            state=State.SENDING,
            attempts=attempt,
            lease_until=now + timedelta(seconds=conf("NOTIFY_LEASE_SECONDS")),
        )
    )
    if not claimed:
        return  # sent already, or another worker holds it
    try:
        batch.send(delivery)
    except DeliveryError as exc:
        _record_failure(delivery, attempt, exc, outcome)
        return
    except Exception as exc:  # a bug or an unexpected library error: retried, never lost
        logger.exception("delivery %s failed unexpectedly", delivery.pk)
        _record_failure(delivery, attempt, RetryableError(f"{type(exc).__name__}: {exc}"), outcome)
        return
    # Right after the send: the window in which a crash would repeat this send is one UPDATE.
    Delivery.objects.filter(pk=delivery.pk, state=State.SENDING, attempts=attempt).update(
        state=State.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    outcome.sent += 1
    if subscriber.consecutive_failures:
        Subscriber.objects.filter(pk=subscriber.pk).update(consecutive_failures=0)


def _record_failure(
    delivery: Delivery, attempt: int, exc: DeliveryError, outcome: BatchOutcome
) -> None:
    subscriber = delivery.subscriber
    error = str(exc)[:500]
    retry = exc.retryable and attempt < conf("NOTIFY_MAX_ATTEMPTS")
    mine = Delivery.objects.filter(pk=delivery.pk, state=State.SENDING, attempts=attempt)
    if retry:
        due = timezone.now() + retry_delay(attempt)
        mine.update(state=State.PENDING, due_at=due, lease_until=None, last_error=error)
        outcome.add_retry(delivery.pk, due)
    else:
        mine.update(state=State.FAILED, lease_until=None, last_error=error)
        outcome.failed += 1
    logger.info("delivery %s attempt %s failed: %s", delivery.pk, attempt, error)

    if subscriber.channel == Subscriber.Channel.PUSH and isinstance(exc, EndpointGone):
        subscriber_remove_gone(subscriber_id=subscriber.pk, reason=error)
    elif subscriber.channel == Subscriber.Channel.WEBHOOK:
        if isinstance(exc, EndpointGone):
            subscriber_disable(subscriber_id=subscriber.pk, reason=error)
            return
        Subscriber.objects.filter(pk=subscriber.pk).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        limit = conf("NOTIFY_WEBHOOK_MAX_FAILURES")
        if Subscriber.objects.filter(pk=subscriber.pk, consecutive_failures__gte=limit).exists():
            subscriber_disable(
                subscriber_id=subscriber.pk,
                reason=f"{limit} failed attempts in a row; last: {error}",
            )
