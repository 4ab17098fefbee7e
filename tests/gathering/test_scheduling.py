"""Periodic jobs, the gather queue, leases that keep two workers off the same source, and
poll intervals staff can change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import tasks
from incidents.gathering import gather_source, sources_claim_due
from incidents.models import Evidence, Service, Source
from outagedesk.celery import app
from outagedesk.scheduling import DEFAULT_JOBS

pytestmark = pytest.mark.usefixtures("allow_loopback_fetch")


def test_periodic_jobs_are_registered():
    assert DEFAULT_JOBS["gather-due-sources"].task_name == "incidents.due_sources_task"
    assert DEFAULT_JOBS["gather-due-sources"].interval_seconds == 30
    assert DEFAULT_JOBS["detect"].task_name == "incidents.detect_task"
    assert DEFAULT_JOBS["detect"].interval_seconds == 60


@pytest.mark.parametrize(
    "task",
    [tasks.due_sources_task, tasks.gather_source_task, tasks.detect_task, tasks.staff_alert_task],
)
def test_tasks_run_on_the_gather_queue(task):
    """Declared on each decorator (tests/core/test_architecture.py checks the messages land
    in the queue declared)."""
    # The decorator's options become attributes of the task; the stubs declare no `queue`.
    assert app.tasks[task.name].queue == "gather"  # type: ignore[attr-defined]


def test_dispatch_gathers_every_due_source_once(whatsapp, django_capture_on_commit_callbacks):
    polled = Source.objects.filter(service=whatsapp, is_enabled=True).exclude(kind="reader")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        # The demo's six polled sources (the other companies' status captures are not WhatsApp's).
        assert tasks.due_sources_task.delay().get() == polled.count() == 6
    assert len(callbacks) == 6
    for source in polled:
        source.refresh_from_db()
        assert source.last_success_at and source.lease_until is None, source.name
        assert Evidence.objects.filter(source=source).exists(), source.name
    reader = Source.objects.get(service=whatsapp, kind="reader")
    assert reader.last_run_at is None  # nothing to poll for reader reports
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.due_sources_task.delay().get() == 0  # nothing is due any more


def test_a_claimed_source_is_not_claimed_again(whatsapp):
    first = sources_claim_due()
    assert len(first) == 6
    assert sources_claim_due() == []


def test_a_task_delivered_twice_gathers_once(whatsapp):
    (source_id, token), *_ = sources_claim_due()
    assert gather_source(source_id, token=token).status == "ok"
    assert gather_source(source_id, token=token).status == "skipped"


def test_two_workers_racing_for_one_source(whatsapp):
    source = Source.objects.get(service=whatsapp, name="Bluesky search")
    Source.objects.filter(pk=source.pk).update(lease_until=timezone.now() + timedelta(minutes=2))
    # Another worker holds the lease: not even a forced poll runs it now.
    assert gather_source(source.pk, force=True).status == "skipped"
    assert not Evidence.objects.filter(source=source).exists()
    # An expired lease (a worker that died) is taken over.
    Source.objects.filter(pk=source.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert gather_source(source.pk).status == "ok"


def test_disabled_sources_are_never_polled(whatsapp):
    Source.objects.filter(service=whatsapp).update(is_enabled=False)
    assert sources_claim_due() == []
    source = Source.objects.filter(service=whatsapp).exclude(kind="reader").first()
    assert gather_source(source.pk, force=True).status == "skipped"


def test_the_sources_of_an_archived_service_rest_until_it_is_tracked_again(whatsapp):
    Service.objects.filter(pk=whatsapp.pk).update(is_active=False)
    assert sources_claim_due() == []
    Service.objects.filter(pk=whatsapp.pk).update(is_active=True)
    assert len(sources_claim_due()) == 6


def test_poll_interval_set_by_staff_is_used(whatsapp):
    source = Source.objects.get(service=whatsapp, name="Hacker News")
    source.poll_interval_seconds = 900
    source.save()
    now = timezone.now()
    gather_source(source.pk, now=now)
    source.refresh_from_db()
    assert source.next_poll_at == now + timedelta(seconds=900)
    assert gather_source(source.pk, now=now + timedelta(seconds=600)).status == "skipped"
    assert gather_source(source.pk, now=now + timedelta(seconds=901)).status in (
        "ok",
        "not_modified",
    )


def test_detect_task_reports_each_service_level(whatsapp):
    # Every tracked service (the demo's WhatsApp, Instagram, Messenger and Facebook), quiet.
    tracked = Service.objects.filter(is_active=True).values_list("slug", flat=True)
    assert tasks.detect_task.delay().get() == dict.fromkeys(tracked, "ok")
    assert "whatsapp" in tracked
