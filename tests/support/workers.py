"""Real Celery worker processes for the fault tests (started, killed, restarted), the test
database's URL for them, and the Celery app of this process pointed at a real broker."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, for processes started by a test (they must see its committed rows)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition, timeout: float, what: str, every: float = 0.1, tick=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if tick:
            tick()
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def child_pids(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class Worker:
    """One `celery worker` process with its pool; its own process group, so killing the group
    kills the pool children too (as a crashed machine or container would)."""

    def __init__(self, env: dict, log: Path, queues: str, concurrency: int = 2):
        self.env = env
        self.log = log
        self.queues = queues
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.started = 0

    def start(self) -> "Worker":
        self.started += 1
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.worker", "-Q", self.queues,
                 "-c", str(self.concurrency), "-P", "prefork", "-l", "INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "-n", f"fault-{os.getpid()}-{self.started}@%h"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pool_pids(self) -> list[int]:
        return child_pids(self.process.pid) if self.process else []

    def kill(self) -> None:
        """SIGKILL to the worker and its pool at once: nothing gets to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.alive:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        elif self.process is not None:
            # The main process is gone; its orphaned pool children may not be.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def worker_env(redis_url: str, var_dir: Path, **extra: str) -> dict:
    return {
        **os.environ,
        "OUTAGEDESK_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url(),
        "FETCH_ALLOW_PRIVATE": "1",
        "OUTAGEDESK_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@contextlib.contextmanager
def celery_broker(settings, url: str):
    """This process's Celery app sends to the broker at `url`, for real (not eagerly).

    The app reads its broker settings from Django's settings as they are at each use, so they
    are changed there (pytest-django's `settings` restores them); only the app's references to
    its connection pools, made for the broker of the time, are dropped on the way in and out
    (kombu keeps one pool per broker URL: the previous broker's is found again afterwards)."""
    from outagedesk.celery import app

    def reset_pools(close: bool = False) -> None:
        # Celery's private pool attributes: no public way to drop them (celery-types omits them).
        if close and app._pool is not None:  # type: ignore[attr-defined]
            app._pool.force_close_all()  # type: ignore[attr-defined]  # this test's broker only
        app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None  # type: ignore[attr-defined]

    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 1,
    }
    assert app.conf.broker_url == url and not app.conf.task_always_eager
    reset_pools()
    try:
        yield app
    finally:
        reset_pools(close=True)
