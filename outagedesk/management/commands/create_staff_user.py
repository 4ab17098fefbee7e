from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from outagedesk.audit import audit_record
from outagedesk.roles import ADMIN, ROLES


class Command(BaseCommand):
    help = "Create (or update) a staff user with a role: editor, moderator or admin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help="The password. Without it, it is read from OUTAGEDESK_PASSWORD or asked for.",
        )

    def handle(self, *args, username, role, email, password, **options):
        import getpass
        import os

        password = password or os.environ.get("OUTAGEDESK_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError("No password given: use --password or OUTAGEDESK_PASSWORD.")
            password = getpass.getpass(f"Password for {username}: ")
        if len(password) < 8:
            raise CommandError("The password must have at least 8 characters.")
        user_model = get_user_model()
        with transaction.atomic():
            user, created = user_model.objects.get_or_create(
                username=username, defaults={"email": email}
            )
            user.set_password(password)
            user.is_staff = True
            user.is_superuser = role == ADMIN
            if email:
                user.email = email
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            audit_record(
                actor=None,
                action="user.created" if created else "user.role_set",
                target=user,
                details={"role": role},
            )
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username} with role {role}."))
