"""A Celery worker killed in the middle of gathering a source (its fetch is waiting on a slow
server): after the restart the task runs to the end once. The source's run is recorded, its
evidence is stored once, its signal counted once.

Two kills, two recoveries:
- the pool process running the task is killed (the kernel's OOM killer does this): the worker
  notices, and with task_reject_on_worker_lost puts the message back in the queue at once;
- the whole worker is killed, pool and all (a machine or container lost): the message was
  never acknowledged (task_acks_late), so Redis hands it to the next worker once its
  visibility timeout passes (an hour in production, 2 s here).
Either way the same message is delivered again, with the lease token of its dispatch: it
takes over the lease its killed run left behind instead of waiting for that lease to expire.
"""

import json
import os
import signal
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.db.models import Sum

from demo.seeding import seed_demo
from incidents.gathering import LEASE, gather_source, sources_claim_due
from incidents.models import Evidence, SignalBucket, Source
from outagedesk.models import AuditEvent
from tests.support.workers import wait_until, worker_env

pytestmark = [pytest.mark.redis, pytest.mark.slow]


class SlowSource:
    """Serves the recorded Mastodon timeline; while `hold` is set, requests wait (the worker's
    fetch sits in its read) until the hold is lifted."""

    def __init__(self):
        self.body = (
            django_settings.FIXTURE_SOURCES_DIR / "mastodon_tag_timeline.json"
        ).read_bytes()
        self.hold = threading.Event()
        self.arrived = 0
        self._released = threading.Event()
        source = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):
                return

            def do_GET(self):
                source.arrived += 1
                if source.hold.is_set():
                    source._released.wait(60)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(source.body)))
                    self.end_headers()
                    self.wfile.write(source.body)
                except OSError:
                    pass  # its client was killed while it waited

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/timelines/tag/whatsapp"

    def release(self) -> None:
        self.hold.clear()
        self._released.set()

    def stop(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_source(transactional_db, replay_server):
    seed_demo(replay_url=replay_server.url)
    # Only this source is polled: the others would finish first and blur what is counted.
    Source.objects.update(is_enabled=False)
    server = SlowSource()
    source = Source.objects.get(kind="mastodon")
    Source.objects.filter(pk=source.pk).update(
        url=server.url, is_enabled=True, next_poll_at=None, lease_until=None
    )
    server.hold.set()
    yield source, server
    server.stop()


def items_in_fixture() -> int:
    path = django_settings.FIXTURE_SOURCES_DIR / "mastodon_tag_timeline.json"
    return len(json.loads(path.read_text()))


def dispatch(redis_url: str) -> None:
    """What beat does every 30 s: lease the due sources, one gather task each."""
    sender = Celery("fault-test-sender", broker=redis_url, set_as_current=False)
    sender.send_task("incidents.due_sources_task", queue="gather")


def assert_gathered_once(source: Source, server: SlowSource) -> None:
    source.refresh_from_db()
    assert source.last_success_at is not None and source.last_error == ""
    assert source.consecutive_failures == 0 and source.lease_until is None
    evidence = Evidence.objects.filter(source=source)
    assert evidence.count() == items_in_fixture()
    assert evidence.values("dedup_key").distinct().count() == evidence.count()
    # Counted once in the signal the detector reads, not once per delivery.
    service_wide = SignalBucket.objects.filter(component="", region="")
    assert service_wide.aggregate(total=Sum("count"))["total"] == pytest.approx(evidence.count())
    assert AuditEvent.objects.filter(action="evidence.collected").count() == 1
    assert server.arrived == 2  # the killed run's fetch, and the one that completed


def test_pool_process_killed_mid_task_the_task_runs_again_and_completes_once(
    slow_source, redis_server, workers, tmp_path
):
    source, server = slow_source
    worker = workers(
        worker_env(redis_server.url, tmp_path / "var"), "gather,default", concurrency=1
    ).start()
    dispatch(redis_server.url)
    wait_until(lambda: server.arrived == 1, 60, f"the fetch\n{worker.output()[-2000:]}")
    (pool_process,) = worker.pool_pids()
    os.kill(pool_process, signal.SIGKILL)
    server.release()

    wait_until(
        lambda: Source.objects.filter(pk=source.pk, last_success_at__isnull=False).exists(),
        60,
        f"the task to run again\n{worker.output()[-3000:]}",
    )
    time.sleep(1)  # a second run, if any, would show now
    assert worker.alive and pool_process not in worker.pool_pids()
    assert "WorkerLostError" in worker.output()
    assert_gathered_once(source, server)


def test_whole_worker_killed_mid_task_a_new_worker_completes_it_once(
    slow_source, redis_server, workers, tmp_path
):
    source, server = slow_source
    env = worker_env(redis_server.url, tmp_path / "var", TEST_VISIBILITY_TIMEOUT="2")
    first = workers(env, "gather,default", concurrency=1, name="first").start()
    dispatch(redis_server.url)
    wait_until(lambda: server.arrived == 1, 60, f"the fetch\n{first.output()[-2000:]}")

    first.kill()
    server.release()
    source.refresh_from_db()
    assert source.lease_until is not None and source.last_success_at is None  # left mid-run

    second = workers(env, "gather,default", concurrency=1, name="second").start()
    wait_until(
        lambda: Source.objects.filter(pk=source.pk, last_success_at__isnull=False).exists(),
        60,
        f"the new worker to run the task\n{second.output()[-3000:]}",
    )
    time.sleep(1)
    assert_gathered_once(source, server)


def test_a_redelivered_task_takes_over_only_the_lease_of_its_own_dead_run(
    db, replay_server, allow_loopback_fetch
):
    seed_demo(replay_url=replay_server.url)
    source = Source.objects.get(kind="mastodon")
    Source.objects.exclude(pk=source.pk).update(is_enabled=False)
    ((source_id, token),) = sources_claim_due()
    dispatched = datetime.fromisoformat(token)

    # Another holder: the token expired and the source was handed out again meanwhile.
    Source.objects.filter(pk=source_id).update(lease_until=dispatched + LEASE + timedelta(1))
    assert gather_source(source_id, token=token).status == "skipped"

    # Its own run, started before the token expired, killed: taken over.
    Source.objects.filter(pk=source_id).update(lease_until=dispatched + timedelta(seconds=2))
    assert gather_source(source_id, token=token).status == "ok"
    source.refresh_from_db()
    assert source.lease_until is None and source.last_success_at is not None
