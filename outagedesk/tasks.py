import logging

from celery import current_app, shared_task

from outagedesk.scheduling import jobs_claim_due, jobs_ensure_defaults

logger = logging.getLogger(__name__)


@shared_task(name="outagedesk.scheduler_tick_task", queue="default", acks_late=False)
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
        task.delay_on_commit()
        sent.append(job.name)
    return sent
