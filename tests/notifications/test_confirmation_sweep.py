"""The double opt-in mail is owed until a worker sent it: a request whose task never reached a
worker (the broker was down, or lost its queue) is mailed by the sweep job, once. With a real
Redis stopped and started again: tests/faults/test_redis_down.py."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from notifications.models import Subscriber
from notifications.tasks import send_confirmation_task, sweep_task
from tests.notifications.receivers import text_part
from tests.services import free_port

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}
ADDRESS = "reader@example.org"


@pytest.fixture
def request_lost(client, service, django_capture_on_commit_callbacks):
    """The reader subscribes, and the task that would mail them never reaches a worker (the
    callbacks that would enqueue it after the commit are dropped)."""
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/subscribe/",
            {"channel": "email", "language": "en", "email": ADDRESS, "service": "whatsapp"},
            **ORIGIN,
        )
    assert response.status_code == 200 and b"Check your inbox" in response.content
    return Subscriber.objects.get(email=ADDRESS)


def test_a_mailed_request_owes_nothing_more(
    smtp, client, service, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/subscribe/",
            {"channel": "email", "language": "en", "email": ADDRESS, "service": "whatsapp"},
            **ORIGIN,
        )
    assert len(smtp.to(ADDRESS)) == 1
    assert Subscriber.objects.get().confirmation_due_at is None


def test_a_request_whose_task_was_lost_is_mailed_by_the_sweep_once(
    smtp, request_lost, settings, run_on_commit
):
    settings.NOTIFY_SWEEP_GRACE_SECONDS = 120
    assert request_lost.confirmation_due_at is not None and smtp.to(ADDRESS) == []

    # Within the grace period its task may still be waiting in the queue: left alone.
    assert run_on_commit(sweep_task)["confirmations"] == 0
    assert smtp.to(ADDRESS) == []

    Subscriber.objects.update(confirmation_due_at=timezone.now() - timedelta(minutes=3))
    assert run_on_commit(sweep_task)["confirmations"] == 1
    (message,) = smtp.to(ADDRESS)
    assert "Confirm your subscription to WhatsApp updates" in message["Subject"]
    assert "/subscribe/confirm/" in text_part(message)
    assert Subscriber.objects.get().confirmation_due_at is None

    # Beat runs the sweep every minute: nothing more is sent.
    assert run_on_commit(sweep_task)["confirmations"] == 0
    assert len(smtp.to(ADDRESS)) == 1


def test_a_confirmation_task_delivered_twice_mails_once(smtp, request_lost):
    assert send_confirmation_task(request_lost.pk) is True
    assert send_confirmation_task(request_lost.pk) is False  # a redelivery, or the sweep's copy
    assert len(smtp.to(ADDRESS)) == 1


def test_a_mail_server_that_keeps_failing_is_given_up_not_retried_for_ever(
    request_lost, settings, run_on_commit
):
    settings.NOTIFY_SWEEP_GRACE_SECONDS = 0
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    # Every attempt is refused (nothing listens there): the task is retried, the mail still owed.
    with pytest.raises(Retry):
        send_confirmation_task.apply(args=(request_lost.pk,))
    assert Subscriber.objects.get().confirmation_due_at is not None
    # Its last retry gives up; the reader, told to subscribe again if nothing arrives, can.
    last = send_confirmation_task.apply(
        args=(request_lost.pk,), retries=send_confirmation_task.max_retries
    )
    assert last.get() is False
    assert Subscriber.objects.get().confirmation_due_at is None
    assert run_on_commit(sweep_task)["confirmations"] == 0
