"""Run the whole app on one machine: web server, Celery worker and beat, and the local replay of
recorded source responses, on SQLite and the filesystem broker. Ctrl-C stops everything."""

import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.embedded import child_environment, replay_start, web_port_reserve
from demo.seeding import demo_users_ensure
from demo.story.backfill import story_start
from demo.story.routes import StoryClock, story_routes
from incidents.models import Service

STORY_SERVICE = "whatsapp"


def _demo_password() -> str:
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        path.write_text(os.environ.get("OUTAGEDESK_DEMO_PASSWORD") or secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def _duration(seconds: int) -> str:
    if seconds >= 60:
        minutes = round(seconds / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


class Command(BaseCommand):
    help = "Run web + worker + beat + fixture replay on the embedded default (SQLite, no broker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--replay-port",
            type=int,
            default=settings.FIXTURE_REPLAY_PORT,
            help="Port of the fixture replay (default: FIXTURE_REPLAY_PORT, else a free port).",
        )
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--no-seed", action="store_true")
        parser.add_argument(
            "--no-story",
            action="store_true",
            help="Serve the recorded source files as they are: no backfilled week, no outage.",
        )
        parser.add_argument(
            "--story-start-seconds",
            type=int,
            default=120,
            help="Seconds from launch to the demo outage (default 120).",
        )

    def handle(
        self, *args, host, port, replay_port, web_workers, no_seed, no_story, story_start_seconds,
        **options,
    ):  # fmt: skip
        now = datetime.now(UTC)
        story = None
        if not (no_seed or no_story):
            story = StoryClock(
                launched_at=now, outage_at=now + timedelta(seconds=max(0, story_start_seconds))
            )
        routes = story_routes(settings.FIXTURE_SOURCES_DIR, story) if story else None
        # Both ports first: one already taken ends here with one line, before anything starts.
        with web_port_reserve(host, port) as web_socket:
            replay = replay_start(settings.FIXTURE_SOURCES_DIR, replay_port, routes)
            try:
                self._run(host, port, web_socket, replay, web_workers, no_seed, story)
            finally:
                replay.stop()

    def _story_begin(self, story: StoryClock, site: str) -> None:
        service = Service.objects.get(slug=STORY_SERVICE)
        started = story_start(service=service, clock=story)
        wait = round((story.outage_at - datetime.now(UTC)).total_seconds())
        when = f"in about {_duration(wait)}" if wait > 0 else "now"
        lines = [
            "",
            "The demo story:",
            f"  A normal past week of {service.name} report counts is in place "
            f"({started.points} points of 5 minutes, up to {started.until:%H:%M} UTC; "
            "marked as demo data).",
            f"  At {story.outage_at:%H:%M:%S} UTC ({when}) {service.name} "
            "goes down: reports rise, the status page and social posts report it.",
            "  A minute or two later the detector opens a suspected incident in the newsroom:",
            "  verify the evidence, compose an update from a template and publish it.",
            f"  Newsroom:     {site}/newsroom/  (sign in as demo-editor)",
            f"  Password:     in {settings.VAR_DIR / 'demo_password'}",
            f"  Service page: {site}/services/{service.slug}/  (the report chart fills live)",
        ]
        if started.removed_evidence or started.removed_incidents:
            lines.append(
                f"  The previous story was cleared ({started.removed_evidence} evidence "
                f"item{'s' if started.removed_evidence != 1 else ''}, "
                f"{started.removed_incidents} untouched suspected "
                f"incident{'s' if started.removed_incidents != 1 else ''})."
            )
        for incident in started.still_open:
            lines.append(
                f"  Still open from an earlier story (yours to resolve): {incident.title} "
                f"— {site}/newsroom/"
            )
        self.stdout.write("\n".join(lines) + "\n")

    def _run(self, host, port, web_socket, replay, web_workers, no_seed, story):
        env = child_environment(os.environ, replay_url=replay.url, host=host, port=port)
        os.environ.update(env)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_seed:
            call_command("seed_demo", replay_url=replay.url)
            password = _demo_password()
            users = demo_users_ensure(password)
            self.stdout.write(
                f"Staff accounts: {', '.join(users)} — password in {settings.VAR_DIR}/demo_password"
            )
        if story is not None:
            self._story_begin(story, env["SITE_URL"].rstrip("/"))

        python = sys.executable
        commands = {
            "web": [
                python, "-m", "gunicorn", "outagedesk.wsgi:application",
                "--bind", f"fd://{web_socket.fileno()}", "--workers", str(web_workers),
                "--threads", "4",
                "--access-logfile", "-", "--graceful-timeout", "5",
            ],
            "worker": [
                python, "-m", "celery", "-A", "outagedesk", "worker", "--loglevel", "INFO",
                "-Q", "gather,notify,default", "--concurrency", "2", "--hostname", "embedded@%h",
            ],
            "beat": [
                python, "-m", "celery", "-A", "outagedesk", "beat", "--loglevel", "INFO",
                "--schedule", str(settings.VAR_DIR / "celerybeat-schedule"),
            ],
        }  # fmt: skip
        processes = {
            name: subprocess.Popen(
                cmd,
                env=env,
                cwd=settings.BASE_DIR,
                pass_fds=(web_socket.fileno(),) if name == "web" else (),
            )
            for name, cmd in commands.items()
        }
        self.stdout.write(
            self.style.SUCCESS(f"OutageDesk is running on http://{host}:{port}/ (Ctrl-C to stop)")
        )
        # Where to look, shown now even when the console is a file or a pipe (block-buffered).
        self.stdout.flush()

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} exited with {process.returncode}; stopping.")
                        exit_code = 1
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for process in processes.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
            self.stdout.write("Stopped.")
        if exit_code:
            sys.exit(exit_code)
