"""Listeners of events (the incidents' and this app's own): each hands the work to a task.

Every event here is sent after its transaction committed (incidents.events.send_on_commit), so
`delay_on_commit` sends at once and a broker that is down (Redis restarting) raises here, where
it is caught: the reader's or editor's request that caused the event has already succeeded and
must not turn into an error page, nor stop the other listeners. Nothing is lost: the sweep job
(notifications.tasks.sweep_task) finds what was never enqueued once the broker is back.
"""

import logging

from kombu.exceptions import OperationalError as BrokerUnreachable

from notifications.tasks import (
    fanout_update_task,
    send_confirmation_task,
    send_owner_notice_task,
)

logger = logging.getLogger(__name__)


def _enqueue(task, *args, what: str) -> bool:
    try:
        task.delay_on_commit(*args)
    except BrokerUnreachable as exc:
        logger.warning("%s not enqueued, the broker is unreachable: %s", what, exc)
        return False
    return True


def on_update_published(sender, update, **kwargs) -> None:
    """An update went public: fan it out on the notify queue if the editor left its "notify"
    switch on."""
    if update.notify:
        _enqueue(fanout_update_task, update.pk, what=f"fan-out of update {update.pk}")


def on_confirmation_owed(sender, subscriber_id: int, **kwargs) -> None:
    _enqueue(send_confirmation_task, subscriber_id, what=f"confirmation mail of {subscriber_id}")


def on_owner_notice_owed(sender, subscriber_id: int, **kwargs) -> None:
    # Not swept: a notice lost to a dead broker is not sent later; the webhook stays disabled
    # with its reason recorded for staff.
    _enqueue(send_owner_notice_task, subscriber_id, what=f"owner notice of {subscriber_id}")
