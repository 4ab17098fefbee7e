"""Create the staff roles as groups with the model permissions each role needs in the admin."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "editor": {
        "incidents": ["incident", "incidentupdate", "evidence", "faqentry", "responsetemplate"],
    },
    "moderator": {
        "comments": ["comment", "officialreply", "cannedreply", "moderationword", "ban"],
        "incidents": ["faqentry"],
    },
    "admin": {},  # admins pass every role check; they are made superusers by create_staff_user
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for role, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, model_names in by_app.items():
            for model in model_names:
                ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
                for action in ("view", "add", "change", "delete"):
                    perm, _ = Permission.objects.get_or_create(
                        content_type=ct,
                        codename=f"{action}_{model}",
                        defaults={"name": f"Can {action} {model}"},
                    )
                    group.permissions.add(perm)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outagedesk", "0001_initial"),
        ("incidents", "0001_initial"),
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
