import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import notifications.models


def fill_keys(apps, schema_editor):
    Subscriber = apps.get_model("notifications", "Subscriber")
    for subscriber in Subscriber.objects.filter(key="").only("pk"):
        subscriber.key = notifications.models.new_subscriber_key()
        subscriber.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        # Three steps so existing rows each get their own random key before it becomes unique.
        migrations.AddField(
            model_name="subscriber",
            name="key",
            field=models.CharField(default="", editable=False, max_length=40, verbose_name="link key"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subscriber",
            name="key",
            field=models.CharField(
                default=notifications.models.new_subscriber_key,
                editable=False,
                max_length=40,
                unique=True,
                verbose_name="link key",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="due_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="due at"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="leased until"),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(fields=["state", "due_at"], name="delivery_due"),
        ),
        migrations.CreateModel(
            name="Fanout",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("cursor", models.PositiveBigIntegerField(default=0, verbose_name="last subscriber done")),
                ("deliveries_created", models.PositiveIntegerField(default=0, verbose_name="deliveries created")),
                ("lease_until", models.DateTimeField(blank=True, null=True, verbose_name="leased until")),
                ("completed_at", models.DateTimeField(blank=True, null=True, verbose_name="completed at")),
                (
                    "update",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fanout",
                        to="incidents.incidentupdate",
                        verbose_name="update",
                    ),
                ),
            ],
            options={
                "verbose_name": "fan-out",
                "verbose_name_plural": "fan-outs",
                "ordering": ["-created_at"],
            },
        ),
    ]
