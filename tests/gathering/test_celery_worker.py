"""End to end on real processes: a Celery worker on a real Redis gathers every demo source from
the local replay server, dispatched the way beat does it (incidents.due_sources_task). The worker
takes only the gather queue: the per-source tasks reach it only because their decorator names
that queue (nothing routes by name any more)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery
from django.db import connection

from incidents.models import Evidence, Source

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis, pytest.mark.slow]


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
    return (
        f"postgresql://{user}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.fixture
def worker(redis_server, whatsapp_committed, tmp_path):
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "OUTAGEDESK_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "FETCH_ALLOW_PRIVATE": "1",
        "DATABASE_URL": database_url(),
        "OUTAGEDESK_VAR_DIR": str(tmp_path),
    }
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "outagedesk", "worker", "-Q", "gather",
         "--concurrency", "2", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
         "--hostname", f"gather-test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process, redis_server, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_a_worker_on_redis_gathers_every_source_end_to_end(worker, whatsapp_committed):
    process, redis_server, log = worker
    sender = Celery("test-sender", broker=redis_server.url, set_as_current=False)
    sender.send_task("incidents.due_sources_task", queue="gather")

    polled = Source.objects.filter(service=whatsapp_committed, is_enabled=True).exclude(
        kind="reader"
    )
    expected = polled.count()
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, "the worker died"
        if polled.filter(last_success_at__isnull=False).count() == expected:
            break
        time.sleep(0.3)
    log.seek(0)
    output = log.read()
    done = polled.filter(last_success_at__isnull=False).count()
    assert done == expected, output[-3000:]
    assert "incidents.gather_source_task" in output and "succeeded" in output
    for source in polled:
        assert source.consecutive_failures == 0, (source.name, source.last_error)
        assert Evidence.objects.filter(source=source).exists(), source.name
    points = Evidence.objects.filter(
        source__name="Downdetector-style report counts", in_inbox=False
    )  # the counter's points; its one rolling inbox item sits beside them
    assert points.count() == 96
    assert process.poll() is None  # still up, ready for the next cycle
