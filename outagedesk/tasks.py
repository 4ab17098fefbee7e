from celery import current_app, shared_task

from outagedesk.scheduling import jobs_claim_due, jobs_ensure_defaults


@shared_task(name="outagedesk.scheduler_tick", acks_late=False)
def scheduler_tick() -> list[str]:
    """Enqueue every due ScheduledJob. acks_late is off: a lost tick is replaced 10 s later."""
    jobs_ensure_defaults()
    sent = []
    for job in jobs_claim_due():
        current_app.send_task(job.task_name)
        sent.append(job.name)
    return sent
