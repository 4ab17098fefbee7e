from django.db import migrations, models


def fill_affected_services(apps, schema_editor):
    """Every existing incident affects its primary service: the readers of the new M2M (pages,
    banners, notifications) then find every incident they found before."""
    Incident = apps.get_model("incidents", "Incident")
    through = Incident.services.through
    rows = [
        through(incident_id=pk, service_id=service_id)
        for pk, service_id in Incident.objects.values_list("pk", "service_id")
    ]
    through.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0009_update_impact"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="services",
            field=models.ManyToManyField(
                blank=True,
                related_name="affecting_incidents",
                to="incidents.service",
                verbose_name="affected services",
            ),
        ),
        migrations.RunPython(fill_affected_services, migrations.RunPython.noop),
    ]
