import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from outagedesk import scheduling
from outagedesk.audit import audit_record
from outagedesk.models import AuditEvent, ScheduledJob


@pytest.mark.django_db
def test_audit_log_is_append_only(editor):
    event = audit_record(actor=editor, action="incident.opened", details={"why": "test"})
    assert event.actor_label == "edith"
    event.action = "something.else"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get().action == "incident.opened"


@pytest.mark.django_db
def test_system_actions_are_logged_as_system():
    event = audit_record(actor=None, action="detector.alert")
    assert event.actor is None and event.actor_label == "system"


@pytest.mark.django_db
def test_audit_log_cannot_be_changed_in_the_admin(admin_client_, editor):
    event = audit_record(actor=editor, action="evidence.verified")
    response = admin_client_.post(
        f"/admin/outagedesk/auditevent/{event.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.fixture
def registered_job(monkeypatch):
    monkeypatch.setattr(scheduling, "DEFAULT_JOBS", {})
    scheduling.register_job("probe-job", "tests.noop", 60, "a job for the test")
    scheduling.jobs_ensure_defaults()
    return ScheduledJob.objects.get(name="probe-job")


@pytest.mark.django_db
def test_a_due_job_is_claimed_once_per_interval(registered_job):
    now = timezone.now()
    assert [j.name for j in scheduling.jobs_claim_due(now=now)] == ["probe-job"]
    # A second beat, or the same tick delivered twice, finds nothing due.
    assert scheduling.jobs_claim_due(now=now + timedelta(seconds=5)) == []
    assert [j.name for j in scheduling.jobs_claim_due(now=now + timedelta(seconds=61))] == [
        "probe-job"
    ]


@pytest.mark.django_db
def test_staff_changes_to_a_job_are_kept(registered_job):
    registered_job.interval_seconds = 600
    registered_job.enabled = False
    registered_job.save()
    scheduling.jobs_ensure_defaults()
    job = ScheduledJob.objects.get(name="probe-job")
    assert job.interval_seconds == 600 and not job.enabled
    assert scheduling.jobs_claim_due() == []


@pytest.mark.django_db
def test_staff_can_change_a_jobs_interval_in_the_admin(admin_client_, registered_job):
    response = admin_client_.get("/admin/outagedesk/scheduledjob/")
    assert response.status_code == 200
    assert b"probe-job" in response.content


@pytest.mark.django_db
def test_jobs_stored_with_the_old_task_names_are_renamed_by_the_migration():
    """Task names became `<app>.<function>_task`: rows saved before (with intervals staff may
    have tuned) keep running the same task after the upgrade."""
    from django.apps import apps

    from outagedesk.celery import app

    migration = importlib.import_module("outagedesk.migrations.0004_rename_scheduled_task_names")
    ScheduledJob.objects.create(name="detect", task_name="gather.detect", interval_seconds=90)
    ScheduledJob.objects.create(name="notify-sweep", task_name="notify.sweep")
    ScheduledJob.objects.create(name="probe-job", task_name="tests.noop")

    migration.forwards(apps, None)
    assert dict(ScheduledJob.objects.values_list("name", "task_name")) == {
        "detect": "incidents.detect_task",
        "notify-sweep": "notifications.sweep_task",
        "probe-job": "tests.noop",  # not one of ours: left alone
    }
    assert ScheduledJob.objects.get(name="detect").interval_seconds == 90
    for module in ("incidents.tasks", "notifications.tasks", "outagedesk.tasks"):
        importlib.import_module(module)
    assert set(migration.RENAMED.values()) <= set(app.tasks)  # every new name is a real task

    migration.backwards(apps, None)
    assert ScheduledJob.objects.get(name="detect").task_name == "gather.detect"
