"""Celery tasks of the comments app: the automatic checks of a reader's comment, run on the
worker so a crowd posting at once is answered at once, and the sweep for checks whose task was
lost. Tasks take ids and call services; they run on the default queue."""

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from comments.services import RequestContext, comment_auto_moderate, comments_auto_moderate_stale
from outagedesk.scheduling import register_job

register_job(
    "comments-checks-sweep",
    "comments.comments_auto_moderate_stale_task",
    60,
    "Run the automatic checks of comments whose check task was lost.",
)


@shared_task(base=DjangoTask, name="comments.comment_auto_moderate_task", queue="default")
def comment_auto_moderate_task(
    comment_id: int,
    address: str = "",
    user_agent: str = "",
    referrer: str = "",
    fill_seconds: float | None = None,
) -> bool:
    """Idempotent: a second delivery finds the comment decided and does nothing."""
    context = RequestContext(
        address=address, user_agent=user_agent, referrer=referrer, fill_seconds=fill_seconds
    )
    return comment_auto_moderate(comment_id=comment_id, context=context)


@shared_task(
    base=DjangoTask,
    name="comments.comments_auto_moderate_stale_task",
    queue="default",
    acks_late=False,
)
def comments_auto_moderate_stale_task() -> int:
    return comments_auto_moderate_stale()
