"""The Celery app. Queues: `gather` (evidence), `notify` (fan-out), `default` (everything else),
so a slow notification fan-out never delays gathering. Each task names its queue on its own
decorator (`@shared_task(name="<app>.<function>_task", queue=...)`), so the route is read where
the task is written; nothing here maps names to queues.

Tasks are enqueued only from `tasks.py` and `receivers.py` modules, with `delay_on_commit` (the
Django task class Celery installs for a Django project; each decorator names it with
`base=DjangoTask` so the type checker sees it too), so a worker never looks for rows that are not
committed yet; tests/core/test_architecture.py checks both rules.

Beat has one fixed entry, the scheduler tick; the real periodic jobs are ScheduledJob rows that
staff see and change in the admin (see outagedesk/scheduling.py).
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outagedesk.settings")

app = Celery("outagedesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_queues=(Queue("default"), Queue("gather"), Queue("notify")),
    task_default_queue="default",
    # A task is acknowledged only after it ran, so a killed worker's task is delivered again;
    # every task is written to be idempotent for that reason.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_time_limit=300,
    task_soft_time_limit=240,
    broker_connection_retry_on_startup=True,
    beat_schedule={
        "scheduler-tick": {"task": "outagedesk.scheduler_tick_task", "schedule": 10.0},
    },
    timezone="UTC",
)
app.autodiscover_tasks()
