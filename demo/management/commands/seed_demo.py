from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.seeding import seed_demo


class Command(BaseCommand):
    help = "Seed the demo data (WhatsApp, its sources, templates, FAQ, a past incident). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--replay-url",
            default=settings.FIXTURE_REPLAY_URL,
            help="Base URL of the local fixture replay the demo sources point at.",
        )

    def handle(self, *args, replay_url, **options):
        with transaction.atomic():
            counts = seed_demo(replay_url=replay_url)
        summary = ", ".join(f"{name}: {n}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({summary})."))
        if not replay_url:
            self.stdout.write(
                "No --replay-url / FIXTURE_REPLAY_URL: the demo sources have no URL and are off."
            )
