"""During a crisis the crowd is heard: comments from many distinct readers all get into the
queue (only each reader's own rate is limited), and the request only stores the comment: its
automatic checks run on the worker, which sets the final status."""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from comments.models import Comment
from comments.selectors import queue_counts
from comments.services import comment_receive
from comments.tasks import comment_auto_moderate_task, comments_auto_moderate_stale_task
from outagedesk.models import AuditEvent
from tests.support.comments import SITE, comment_data

pytestmark = pytest.mark.django_db


def test_two_hundred_distinct_readers_in_a_minute_all_get_into_the_queue(client, incident):
    # The old cap refused everyone after the 120th comment of the minute on an incident.
    codes = []
    for index in range(200):
        response = client.post(
            f"/en/incidents/{incident.slug}/comments/",
            comment_data(text=f"Toujours rien chez moi, lecteur {index}"),
            HTTP_ORIGIN=SITE,
            REMOTE_ADDR=f"10.0.{index // 250}.{index % 250 + 1}",
        )
        codes.append(response.status_code)
    assert codes == [303] * 200
    assert Comment.objects.filter(incident=incident).count() == 200


def test_the_request_stores_the_comment_and_the_worker_decides(
    client, incident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        response = client.post(
            f"/en/incidents/{incident.slug}/comments/",
            comment_data(text="Quel con ce service"),
            HTTP_ORIGIN=SITE,
            REMOTE_ADDR="203.0.113.9",
        )

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING and comment.awaiting_checks
    assert comment.reasons == []
    assert queue_counts()["pending"] == 0  # moderators see it once it has been checked
    assert len(enqueued) == 1  # the checks, enqueued once the comment is committed
    page = client.get(response["Location"]).content.decode()
    # The incident is French: its comments are too, whatever the prefix.
    assert "Votre commentaire est en attente de modération" in page
    assert "Quel con ce service" in page  # the reader sees their own comment waiting

    # The event hands the checks to the worker (eagerly in tests) once committed.
    with django_capture_on_commit_callbacks(execute=True):
        enqueued[0]()

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED and not comment.awaiting_checks
    assert [r["code"] for r in comment.reasons] == ["banned_word"]
    assert AuditEvent.objects.filter(action="comment.auto_moderate").count() == 1
    assert "pas été publié" in client.get(response["Location"]).content.decode()


def test_the_checks_task_is_idempotent(incident):
    comment = comment_receive(
        incident=incident, name="Lou", email="", text="Ça remarche à Nantes", address="192.0.2.3"
    )
    assert comment_auto_moderate_task.delay(comment.pk).get() is True
    assert comment_auto_moderate_task.delay(comment.pk).get() is False
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.needs_review
    assert AuditEvent.objects.filter(action="comment.auto_moderate").count() == 1


def test_the_checks_run_on_the_default_queue_under_a_task_name():
    assert comment_auto_moderate_task.name == "comments.comment_auto_moderate_task"
    # The decorator's options become attributes of the task; the stubs declare no `queue`.
    assert comment_auto_moderate_task.queue == "default"  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_reader_is_answered_and_the_sweep_checks_later(
    client, incident, monkeypatch
):
    # Committed for real, as in production: the enqueue runs right after the INSERT commits.
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(comment_auto_moderate_task, "delay", broker_down)
    response = client.post(
        f"/en/incidents/{incident.slug}/comments/",
        comment_data(text="Quel con ce service"),
        HTTP_ORIGIN=SITE,
        REMOTE_ADDR="203.0.113.10",
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.awaiting_checks

    assert comments_auto_moderate_stale_task.delay().get() == 0  # too recent: its task may come
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert comments_auto_moderate_stale_task.delay().get() == 1

    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED and not comment.awaiting_checks


def test_a_repeat_is_judged_against_earlier_comments_only(incident):
    text = "Le service est en panne depuis ce matin à Bordeaux, rien ne passe."
    first = comment_receive(incident=incident, name="A", email="", text=text, address="192.0.2.1")
    second = comment_receive(incident=incident, name="A", email="", text=text, address="192.0.2.1")

    # The checks of both run after both were stored, the later one first.
    comment_auto_moderate_task.delay(second.pk)
    comment_auto_moderate_task.delay(first.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Comment.Status.PENDING and first.needs_review
    assert second.status == Comment.Status.SPAM


def test_a_moderator_decision_taken_before_the_checks_stands(incident, moderator):
    from comments.services import commenters_ban

    comment = comment_receive(
        incident=incident, name="Troll", email="", text="Ça remarche à Lille", address="192.0.2.66"
    )
    commenters_ban(actor=moderator, comments=[comment], reason="offensive")

    assert comment_auto_moderate_task.delay(comment.pk).get() is False
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED and not comment.awaiting_checks
