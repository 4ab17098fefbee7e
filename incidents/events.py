"""Signals of the incidents domain. Each is sent from `transaction.on_commit` (send_on_commit),
so a listener sees committed data and a rolled-back write tells nobody; listeners are connected
in the apps' `ready()`.

- update_published(update): a new IncidentUpdate is public. Listeners: public cache refresh,
  notification fan-out.
- incident_changed(incident): an incident's public state changed (status, impact, components,
  visibility, resolution). Listener: public cache refresh (the banner disappears on resolve).
- problem_likely(incident_id, reason): the detector opened a suspected incident and the editors
  must be told, once per episode. Listener: incidents.receivers, which enqueues the staff alert.
- reader_reports_waiting(): reader reports wait in Redis to be stored (the first one of a batch
  was just pushed). Sent at once, not on commit: the push wrote nothing to the database.
  Listener: incidents.receivers, which enqueues the flush.
"""

from django.db import transaction
from django.dispatch import Signal

update_published = Signal()
incident_changed = Signal()
problem_likely = Signal()
reader_reports_waiting = Signal()


def send_on_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=None, **kwargs))
