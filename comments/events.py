"""Signals of the comments app, sent after commit (incidents.events.send_on_commit).

- comment_received(comment_id, fill_seconds, address, user_agent, referrer): a reader's comment
  is stored, waiting for its automatic checks. Listener: comments.receivers, which hands the
  checks to the worker so the crowd is answered at once.
"""

from django.dispatch import Signal

comment_received = Signal()
