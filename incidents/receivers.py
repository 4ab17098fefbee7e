"""Listeners of the incidents domain's own events: they hand the slow part to a task."""

import logging

from kombu.exceptions import OperationalError as BrokerUnreachable

from incidents.tasks import staff_alert_task

logger = logging.getLogger(__name__)


def on_problem_likely(sender, incident_id: int, reason: str, **kwargs) -> None:
    """Alert the editors from the gather queue. Sent after the detector's transaction
    committed, so `delay_on_commit` sends at once and a broker error is caught here: the
    detector's state is saved whatever happens to the alert."""
    try:
        staff_alert_task.delay_on_commit(incident_id, reason)
    except BrokerUnreachable as exc:
        logger.error("staff alert for incident %s not enqueued: %s", incident_id, exc)
