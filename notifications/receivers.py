"""Listeners of other apps' events."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)


def on_update_published(sender, update, **kwargs) -> None:
    """An update went public (sent after its transaction committed): fan it out on the notify
    queue if the editor left its "notify" switch on."""
    if not update.notify:
        return
    update_id = update.pk
    transaction.on_commit(lambda: enqueue_fanout(update_id))


def enqueue_fanout(update_id: int) -> bool:
    """Hand the fan-out to the notify queue. The update is already committed and public by
    now: a broker that is down (Redis restarting) must not turn the editor's publish into an
    error page, nor stop the other listeners of the publish. Nothing is lost: the sweep job
    starts every fan-out that never started once the broker is back."""
    from notifications.tasks import fanout_update

    try:
        fanout_update.delay(update_id)
    except BrokerUnreachable as exc:
        logger.warning(
            "fan-out of update %s not enqueued (broker unreachable: %s); the sweep will start it",
            update_id,
            exc,
        )
        return False
    return True
