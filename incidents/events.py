"""Signals other apps listen to. Both are sent from `transaction.on_commit`, so a listener sees
committed data and a rolled-back publish notifies nobody.

- update_published(update): a new IncidentUpdate is public. Listeners: public cache refresh,
  notification fan-out.
- incident_changed(incident): an incident's public state changed (status, impact, components,
  visibility, resolution). Listener: public cache refresh (the banner disappears on resolve).
"""

from django.db import transaction
from django.dispatch import Signal

update_published = Signal()
incident_changed = Signal()


def send_on_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=None, **kwargs))
