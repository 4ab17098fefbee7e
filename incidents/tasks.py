"""Celery tasks of evidence gathering and detection, all on the gather queue (apart from the
notification fan-out). Tasks take ids and call services."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import transaction

from incidents.detection.alerts import staff_alert_send
from incidents.detection.services import detector_evaluate_all
from incidents.gathering import gather_source, sources_claim_due
from incidents.models import Incident
from incidents.services.reader_reports import reader_reports_flush, report_targets_refresh
from incidents.services.report_buffer import buffer_waiting
from outagedesk.lib.fetch import FetchError, FetchHTTPError
from outagedesk.scheduling import register_job

logger = logging.getLogger(__name__)

register_job(
    "gather-due-sources",
    "incidents.due_sources_task",
    30,
    "Enqueue one gathering task per source whose poll time has come.",
)
register_job(
    "detect",
    "incidents.detect_task",
    60,
    "Compare each service's signals with their usual level and raise suspected incidents.",
)
register_job(
    "reader-reports-store",
    "incidents.reader_reports_store_task",
    30,
    "Store the reader reports waiting in Redis that no flush has stored (a lost task).",
)
register_job(
    "reader-report-targets",
    "incidents.report_targets_refresh_task",
    30,
    "Keep what a reader report needs about each tracked service in the cache, ahead of need.",
)


@shared_task(base=DjangoTask, name="incidents.due_sources_task", queue="gather", acks_late=False)
def due_sources_task() -> int:
    """Lease the due sources and enqueue one task each. Not acks_late: a lost dispatch is
    replaced by the next tick, and the leases expire on their own."""
    with transaction.atomic():
        claims = sources_claim_due()
        for source_id, token in claims:
            gather_source_task.delay_on_commit(source_id, token)
    return len(claims)


@shared_task(base=DjangoTask, name="incidents.gather_source_task", queue="gather")
def gather_source_task(source_id: int, token: str | None = None) -> dict:
    """No Celery retry: every failure of the source is recorded and backed off by the service,
    and if even that fails (database unreachable) the lease expires after five minutes and the
    dispatcher hands the source out again."""
    outcome = gather_source(source_id, token=token)
    return {"status": outcome.status, "created": outcome.created, "error": outcome.error}


@shared_task(base=DjangoTask, name="incidents.detect_task", queue="gather", acks_late=False)
def detect_task() -> dict[str, str]:
    return detector_evaluate_all()


@shared_task(
    base=DjangoTask, name="incidents.staff_alert_task", queue="gather", bind=True, max_retries=4
)
def staff_alert_task(self, incident_id: int, reason: str = "") -> dict:
    try:
        return staff_alert_send(incident_id=incident_id, reason=reason)
    except Incident.DoesNotExist:
        return {}
    except FetchHTTPError as exc:
        if 400 <= exc.status < 500 and exc.status != 429:
            logger.warning("staff alert webhook refused: %s", exc)
            return {}  # the URL or the payload is wrong: retrying will not help
        countdown = exc.retry_after or 30 * 2**self.request.retries
        raise self.retry(exc=exc, countdown=countdown) from exc
    except (FetchError, OSError) as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(
    base=DjangoTask, name="incidents.reader_reports_store_task", queue="default", acks_late=False
)
def reader_reports_store_task() -> int:
    """Store the reader reports waiting in Redis. Not acks_late: a lost flush loses nothing (the
    reports stay in Redis until stored) and the periodic job runs the next one."""
    stored = reader_reports_flush()
    if buffer_waiting():  # the flush stopped at its time limit: go on in a new task
        reader_reports_store_task.delay()
    return stored


@shared_task(
    base=DjangoTask, name="incidents.report_targets_refresh_task", queue="default", acks_late=False
)
def report_targets_refresh_task() -> int:
    """Cache every tracked service's report target (the next tick does it again if lost)."""
    return report_targets_refresh()
