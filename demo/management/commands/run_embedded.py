"""Run the whole app on one machine: web server, Celery worker and beat, and the local replay of
recorded source responses, on SQLite and the filesystem broker. Ctrl-C stops everything."""

import os
import secrets
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.embedded import child_environment, replay_start, web_port_reserve
from demo.seeding import demo_users_ensure


def _demo_password() -> str:
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        path.write_text(os.environ.get("OUTAGEDESK_DEMO_PASSWORD") or secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


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

    def handle(self, *args, host, port, replay_port, web_workers, no_seed, **options):
        # Both ports first: one already taken ends here with one line, before anything starts.
        with web_port_reserve(host, port) as web_socket:
            replay = replay_start(settings.FIXTURE_SOURCES_DIR, replay_port)
            try:
                self._run(host, port, web_socket, replay, web_workers, no_seed)
            finally:
                replay.stop()

    def _run(self, host, port, web_socket, replay, web_workers, no_seed):
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
