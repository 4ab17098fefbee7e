"""Database-backed periodic jobs.

Beat sends `outagedesk.scheduler_tick_task` every few seconds; the tick claims each due ScheduledJob
with a conditional UPDATE (so two beats, or a tick delivered twice, enqueue a job once per
interval) and sends its task. Apps register their default jobs in DEFAULT_JOBS through
`register_job`, and the tick creates missing rows, so staff can change intervals in the admin.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outagedesk.models import ScheduledJob


@dataclass(frozen=True)
class JobDefault:
    name: str
    task_name: str
    interval_seconds: int
    description: str = ""


DEFAULT_JOBS: dict[str, JobDefault] = {}


def register_job(name: str, task_name: str, interval_seconds: int, description: str = "") -> None:
    DEFAULT_JOBS[name] = JobDefault(name, task_name, interval_seconds, description)


def jobs_ensure_defaults() -> None:
    existing = set(ScheduledJob.objects.values_list("name", flat=True))
    for job in DEFAULT_JOBS.values():
        if job.name not in existing:
            ScheduledJob.objects.get_or_create(
                name=job.name,
                defaults={
                    "task_name": job.task_name,
                    "interval_seconds": job.interval_seconds,
                    "description": job.description,
                },
            )


def jobs_claim_due(*, now=None) -> list[ScheduledJob]:
    """Claim the jobs that are due now; each claimed job is returned once per interval."""
    now = now or timezone.now()
    claimed = []
    candidates = ScheduledJob.objects.filter(enabled=True).filter(
        Q(next_run_at__isnull=True) | Q(next_run_at__lte=now)
    )
    for job in candidates:
        with transaction.atomic():
            won = ScheduledJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
                last_run_at=now, next_run_at=now + timedelta(seconds=job.interval_seconds)
            )
        if won:
            claimed.append(job)
    return claimed
