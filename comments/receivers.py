"""Listeners of the comments app's events: each hands the work to a task (or, for bans,
forgets the cached list).

A broker that is down (Redis restarting) raises here and is caught: the reader's comment is
stored and they have their answer; the sweep job (comments.tasks.comments_auto_moderate_stale_task)
runs the checks of comments left waiting once the broker is back.
"""

import logging

from kombu.exceptions import OperationalError as BrokerUnreachable

from comments.services.submission import bans_changed
from comments.tasks import comment_auto_moderate_task

logger = logging.getLogger(__name__)


def on_comment_received(sender, *, comment_id: int, signal=None, **context) -> None:
    try:
        comment_auto_moderate_task.delay_on_commit(comment_id, **context)
    except BrokerUnreachable as exc:
        logger.warning("checks of comment %s not enqueued, broker unreachable: %s", comment_id, exc)


def on_ban_saved(sender, **kwargs) -> None:
    """A ban created, changed or deleted (the moderation screens, the admin)."""
    bans_changed()
