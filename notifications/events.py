"""Signals of the notifications app, sent after commit (incidents.events.send_on_commit) by its
services; notifications.receivers hands each to a task, so no service imports a task.

- confirmation_owed(subscriber_id): an email address asked to subscribe and is owed the double
  opt-in mail (a confirmation link, or a note that it is already subscribed).
- owner_notice_owed(subscriber_id): a webhook was disabled and its owner is owed a notice.
"""

from django.dispatch import Signal

confirmation_owed = Signal()
owner_notice_owed = Signal()
