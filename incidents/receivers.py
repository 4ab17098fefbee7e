"""Listeners of the incidents domain's own events: they hand the slow part to a task, or forget
what the cache holds about what changed."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

from incidents.models import Incident, IncidentUpdate, Service
from incidents.selectors.translations import incident_page_language_forget
from incidents.services.reader_reports import report_target_forget
from incidents.tasks import reader_reports_store_task, staff_alert_task

logger = logging.getLogger(__name__)


def on_problem_likely(sender, incident_id: int, reason: str, **kwargs) -> None:
    """Alert the editors from the gather queue. Sent after the detector's transaction
    committed, so `delay_on_commit` sends at once and a broker error is caught here: the
    detector's state is saved whatever happens to the alert."""
    try:
        staff_alert_task.delay_on_commit(incident_id, reason)
    except BrokerUnreachable as exc:
        logger.error("staff alert for incident %s not enqueued: %s", incident_id, exc)


def on_reader_reports_waiting(sender, **kwargs) -> None:
    """Ask the worker to store the reports waiting in Redis. If the broker cannot take the task,
    the reports stay where they are and the `reader-reports-store` job stores them."""
    try:
        reader_reports_store_task.delay()
    except BrokerUnreachable as exc:
        logger.error("reader reports waiting, flush not enqueued: %s", exc)


def on_service_setup_saved(sender, instance, **kwargs) -> None:
    """A service, one of its components or sources saved or deleted (the admin, the newsroom's
    service screens): reader reports must see it at once (an archived service takes no more
    reports, a new feature can be picked). Forgotten now, and again once the write commits, so
    a report read in between does not cache the old state."""
    slug: str | None
    if isinstance(instance, Service):
        slug = instance.slug
    else:
        slug = Service.objects.filter(pk=instance.service_id).values_list("slug", flat=True).first()
    if slug:
        report_target_forget(slug)
        transaction.on_commit(lambda: report_target_forget(slug))


def on_incident_content_changed(
    sender, incident: Incident | None = None, update: IncidentUpdate | None = None, **kwargs
) -> None:
    """An update published or an incident's public content changed (both sent after commit):
    the page's language may be another now."""
    incident_id = incident.pk if incident is not None else update.incident_id if update else None
    if incident_id is not None:
        incident_page_language_forget(incident_id)
