"""Notification tasks (names starting `notify.` run on the notify queue). Each takes ids and
calls a service; every one is safe to run twice (acks_late redelivers after a worker dies)."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from notifications.channels import email as email_channel
from notifications.channels.base import DeliveryError
from notifications.fanout import fanout_run, sweep
from notifications.models import Subscriber
from notifications.services import deliveries_send, subscribers_purge_unconfirmed
from outagedesk.scheduling import register_job

logger = logging.getLogger(__name__)

register_job(
    "notify-sweep",
    "notify.sweep",
    60,
    "Re-enqueue notifications left behind by a stopped worker (expired claims, lost tasks).",
)
register_job(
    "notify-purge-unconfirmed",
    "notify.purge_unconfirmed",
    3600,
    "Delete email subscriptions whose confirmation link expired unused.",
)


@shared_task(name="notify.fanout_update")
def fanout_update(update_id: int) -> int:
    return fanout_run(update_id=update_id)


@shared_task(name="notify.deliver_batch")
def deliver_batch(delivery_ids: list[int]) -> dict:
    outcome = deliveries_send(delivery_ids)
    if outcome.leftover_ids:
        transaction.on_commit(lambda: deliver_batch.delay(outcome.leftover_ids))
    if outcome.retry_ids and outcome.retry_due is not None:
        # Once the last of them is due, so one task retries them all.
        countdown = max((outcome.retry_due - timezone.now()).total_seconds(), 0) + 1
        transaction.on_commit(
            lambda: deliver_batch.apply_async(args=[outcome.retry_ids], countdown=countdown)
        )
    return {"sent": outcome.sent, "failed": outcome.failed, "retry": len(outcome.retry_ids)}


@shared_task(name="notify.sweep")
def sweep_task() -> dict:
    return sweep()


@shared_task(name="notify.purge_unconfirmed")
def purge_unconfirmed() -> int:
    return subscribers_purge_unconfirmed()


def _send_one(message) -> None:
    connection = email_channel.open_connection()
    try:
        email_channel.send(connection, message)
    finally:
        connection.close()


@shared_task(
    name="notify.send_confirmation",
    bind=True,
    max_retries=4,
    autoretry_for=(DeliveryError,),
    retry_backoff=30,
    retry_jitter=True,
)
def send_confirmation(self, subscriber_id: int) -> bool:
    """The double opt-in mail: a confirmation link, or, for an address already subscribed, a
    note saying so (the form told the requester the same thing in both cases)."""
    subscriber = Subscriber.objects.select_related("service", "incident").filter(
        pk=subscriber_id, channel__in=(Subscriber.Channel.EMAIL, Subscriber.Channel.WEBHOOK)
    )
    subscriber = subscriber.first()
    if subscriber is None:
        return False
    message = email_channel.confirmation_email(
        subscriber, already_confirmed=subscriber.is_confirmed
    )
    try:
        _send_one(message)
    except DeliveryError as exc:
        if not exc.retryable:
            logger.info("confirmation mail to subscriber %s refused: %s", subscriber_id, exc)
            return False
        raise
    return True


@shared_task(
    name="notify.send_owner_notice",
    bind=True,
    max_retries=4,
    autoretry_for=(DeliveryError,),
    retry_backoff=30,
    retry_jitter=True,
)
def send_owner_notice(self, subscriber_id: int) -> bool:
    """Tell a webhook's owner it was disabled, and why."""
    subscriber = Subscriber.objects.select_related("service", "incident").filter(
        pk=subscriber_id, is_active=False
    )
    subscriber = subscriber.first()
    if subscriber is None or not subscriber.email:
        return False
    message = email_channel.owner_notice_email(subscriber, reason=subscriber.disabled_reason)
    try:
        _send_one(message)
    except DeliveryError as exc:
        if not exc.retryable:
            return False
        raise
    return True
