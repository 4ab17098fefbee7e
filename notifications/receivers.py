"""Listeners of other apps' events."""

from django.db import transaction


def on_update_published(sender, update, **kwargs) -> None:
    """An update went public (sent after its transaction committed): fan it out on the notify
    queue if the editor left its "notify" switch on."""
    if not update.notify:
        return
    from notifications.tasks import fanout_update

    update_id = update.pk
    transaction.on_commit(lambda: fanout_update.delay(update_id))
