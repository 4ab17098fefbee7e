"""Notification tasks, all on the notify queue. Each takes ids and calls a service; every one is
safe to run twice (acks_late redelivers after a worker dies). They and notifications.receivers
are the only places that enqueue notification work."""

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.utils import timezone

from notifications.channels import email as email_channel
from notifications.channels.base import DeliveryError
from notifications.fanout import fanout_run, sweep
from notifications.models import Subscriber
from notifications.selectors import subscriber_owed_confirmation
from notifications.services import (
    confirmation_settle,
    confirmations_overdue_claim,
    deliveries_send,
    subscribers_purge_unconfirmed,
)
from outagedesk.scheduling import register_job

logger = logging.getLogger(__name__)

register_job(
    "notify-sweep",
    "notifications.sweep_task",
    60,
    "Re-enqueue notifications left behind by a stopped worker or a broker that was down "
    "(expired claims, lost tasks, confirmation mails never sent).",
)
register_job(
    "notify-purge-unconfirmed",
    "notifications.purge_unconfirmed_task",
    3600,
    "Delete email subscriptions whose confirmation link expired unused.",
)


@shared_task(base=DjangoTask, name="notifications.fanout_update_task", queue="notify")
def fanout_update_task(update_id: int) -> int:
    return fanout_run(update_id=update_id, enqueue_batch=deliver_batch_task.delay_on_commit)


@shared_task(base=DjangoTask, name="notifications.deliver_batch_task", queue="notify")
def deliver_batch_task(delivery_ids: list[int]) -> dict:
    outcome = deliveries_send(delivery_ids)
    if outcome.leftover_ids:
        deliver_batch_task.delay_on_commit(outcome.leftover_ids)
    if outcome.retry_ids and outcome.retry_due is not None:
        # Once the last of them is due, so one task retries them all.
        countdown = max((outcome.retry_due - timezone.now()).total_seconds(), 0) + 1
        deliver_batch_task.apply_async_on_commit(args=(outcome.retry_ids,), countdown=countdown)
    return {"sent": outcome.sent, "failed": outcome.failed, "retry": len(outcome.retry_ids)}


@shared_task(base=DjangoTask, name="notifications.sweep_task", queue="notify")
def sweep_task() -> dict:
    outcome = sweep()
    for update_id in outcome.fanouts:
        fanout_update_task.delay_on_commit(update_id)
    for batch in outcome.batches:
        deliver_batch_task.delay_on_commit(batch)
    confirmations = confirmations_overdue_claim()
    for subscriber_id in confirmations:
        send_confirmation_task.delay_on_commit(subscriber_id)
    if confirmations:
        logger.warning("notification sweep: %s confirmation mails re-enqueued", len(confirmations))
    return {
        "fanouts": len(outcome.fanouts),
        "expired": outcome.expired,
        "overdue": outcome.overdue,
        "batches": len(outcome.batches),
        "confirmations": len(confirmations),
    }


@shared_task(base=DjangoTask, name="notifications.purge_unconfirmed_task", queue="notify")
def purge_unconfirmed_task() -> int:
    return subscribers_purge_unconfirmed()


def _send_one(message) -> None:
    connection = email_channel.open_connection()
    try:
        email_channel.send(connection, message)
    finally:
        connection.close()


@shared_task(
    base=DjangoTask,
    name="notifications.send_confirmation_task",
    queue="notify",
    bind=True,
    max_retries=4,
    autoretry_for=(DeliveryError,),
    retry_backoff=30,
    retry_jitter=True,
)
def send_confirmation_task(self, subscriber_id: int) -> bool:
    """The double opt-in mail: a confirmation link, or, for an address already subscribed, a
    note saying so (the form told the requester the same thing in both cases). Sent once per
    request: a copy of this task (the sweep's, a redelivery) finds nothing owed any more."""
    subscriber = subscriber_owed_confirmation(subscriber_id)
    if subscriber is None:
        return False
    message = email_channel.confirmation_email(
        subscriber, already_confirmed=subscriber.is_confirmed
    )
    try:
        _send_one(message)
    except DeliveryError as exc:
        if exc.retryable and self.request.retries < self.max_retries:
            raise
        # Refused for good, or out of retries: the reader can ask again from the form.
        logger.info("confirmation mail to subscriber %s given up: %s", subscriber_id, exc)
        confirmation_settle(subscriber=subscriber)
        return False
    confirmation_settle(subscriber=subscriber)
    return True


@shared_task(
    base=DjangoTask,
    name="notifications.send_owner_notice_task",
    queue="notify",
    bind=True,
    max_retries=4,
    autoretry_for=(DeliveryError,),
    retry_backoff=30,
    retry_jitter=True,
)
def send_owner_notice_task(self, subscriber_id: int) -> bool:
    """Tell a webhook's owner it was disabled, and why."""
    subscriber = (
        Subscriber.objects.select_related("service", "incident")
        .filter(pk=subscriber_id, is_active=False)
        .first()
    )
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
