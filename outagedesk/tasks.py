import logging
from typing import cast

from celery import current_app, shared_task
from celery.contrib.django.task import DjangoTask

from outagedesk.scheduling import jobs_claim_due, jobs_ensure_defaults

logger = logging.getLogger(__name__)


@shared_task(
    base=DjangoTask, name="outagedesk.scheduler_tick_task", queue="default", acks_late=False
)
def scheduler_tick_task() -> list[str]:
    """Enqueue every due ScheduledJob. acks_late is off: a lost tick is replaced 10 s later.

    The job's task is looked up in this worker's registry (every app's tasks are loaded by
    autodiscovery), so it goes to the queue its decorator declares; a name no task has (a typo
    in the admin) is logged, not sent to a queue where no worker would run it."""
    jobs_ensure_defaults()
    sent = []
    for job in jobs_claim_due():
        task = current_app.tasks.get(job.task_name)
        if task is None:
            logger.error("scheduled job %r names no known task: %r", job.name, job.task_name)
            continue
        # Every task of the app is a DjangoTask (Celery's Django fixup makes it the app's task
        # class); the registry is typed with the plain Task.
        cast(DjangoTask, task).delay_on_commit()
        sent.append(job.name)
    return sent
