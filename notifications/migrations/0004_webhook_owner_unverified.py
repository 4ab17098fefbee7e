"""Webhook owner addresses used to be stored unverified and written to when the webhook was
disabled. From now on an owner address is confirmed before any mail; the addresses stored
before that were never verified, so they are dropped (the webhooks keep working; their owners
are simply not told if they are disabled, as for a webhook created without an address)."""

from django.db import migrations


def drop_unverified_owner_addresses(apps, schema_editor):
    Subscriber = apps.get_model("notifications", "Subscriber")
    Subscriber.objects.filter(channel="webhook").exclude(email="").update(email="")


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_subscriber_email_once")]

    operations = [
        migrations.RunPython(drop_unverified_owner_addresses, migrations.RunPython.noop),
    ]
