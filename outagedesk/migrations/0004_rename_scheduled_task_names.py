"""Task names now end in `_task` and say their app (the queue is declared on each task, no
longer read from a `gather.` / `notify.` prefix): the ScheduledJob rows that store the old
names are renamed, so beat keeps sending the jobs staff may have tuned in the admin."""

from django.db import migrations

RENAMED = {
    "gather.due_sources": "incidents.due_sources_task",
    "gather.source": "incidents.gather_source_task",
    "gather.detect": "incidents.detect_task",
    "gather.staff_alert": "incidents.staff_alert_task",
    "notify.fanout_update": "notifications.fanout_update_task",
    "notify.deliver_batch": "notifications.deliver_batch_task",
    "notify.sweep": "notifications.sweep_task",
    "notify.purge_unconfirmed": "notifications.purge_unconfirmed_task",
    "notify.send_confirmation": "notifications.send_confirmation_task",
    "notify.send_owner_notice": "notifications.send_owner_notice_task",
    "outagedesk.scheduler_tick": "outagedesk.scheduler_tick_task",
}


def _rename(apps, names: dict[str, str]) -> None:
    ScheduledJob = apps.get_model("outagedesk", "ScheduledJob")
    for old, new in names.items():
        ScheduledJob.objects.filter(task_name=old).update(task_name=new)


def forwards(apps, schema_editor) -> None:
    _rename(apps, RENAMED)


def backwards(apps, schema_editor) -> None:
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("outagedesk", "0003_login_throttle")]

    operations = [migrations.RunPython(forwards, backwards)]
