"""Exactly once through a real crash: a Celery worker fanning an update out to 3,000
subscribers (1,500 by email to a real SMTP server, 1,500 webhooks to a real HTTP receiver) is
killed with SIGKILL half-way, restarted, and every subscriber ends up with exactly one message.

Where the kill lands: the receivers hold (gate) the messages arriving once a third is
accepted; the worker is killed while its sends wait there, and those sends are then refused,
as a receiver does when the sender dies mid-transaction. So the crash hits sends in flight
and claimed deliveries, the case the lease must recover without loss or duplicate. (A crash in
the instant between a receiver's acceptance and the database update cannot be told apart from
a lost send by any sender; webhook receivers deduplicate that case with X-OutageDesk-Delivery.)
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from incidents.models import Service
from notifications.models import Delivery, Fanout, Subscriber
from tests.factories import make_incident, make_update
from tests.notifications.receivers import Gate, HttpReceiver, SmtpReceiver

ROOT = Path(__file__).resolve().parents[2]
TOTAL = 3000
EMAILS = HOOKS = TOTAL // 2

pytestmark = [pytest.mark.slow, pytest.mark.redis]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    def __init__(self, env: dict, log: Path):
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.notifications.worker", "-Q", "notify,default",
                 "-c", "4", "-P", "prefork", "-l", "INFO", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "-n", f"kill-test-{time.time()}@%h"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: SIGKILL reaches its children
            )  # fmt: skip

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def wait_until(condition, timeout: float, what: str, every: float = 0.1, tick=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if tick:
            tick()
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def population(transactional_db):
    service = Service.objects.create(slug="whatsapp", name="WhatsApp")
    incident = make_incident(
        service=service, slug="down", title="Down", status="investigating", is_public=True
    )
    confirmed = timezone.now() - timedelta(minutes=1)
    # Interleaved, so the crash hits both channels in flight.
    Subscriber.objects.bulk_create(
        [
            Subscriber(channel="email", service=service, email=f"r{i}@example.org",
                       language="fr" if i % 4 else "en", confirmed_at=confirmed, key=f"e{i}")
            if i % 2 == 0 else
            Subscriber(channel="webhook", service=service, webhook_url="http://127.0.0.1/",
                       secret=f"secret-{i}", language="en", confirmed_at=confirmed, key=f"h{i}")
            for i in range(TOTAL)
        ]
    )  # fmt: skip
    update = make_update(
        incident=incident,
        status="investigating",
        title="Messages are not delivered",
        message="We are looking into it.",
        language="en",
        published_at=timezone.now(),
        notify=True,
    )
    return update


def test_a_worker_killed_mid_fan_out_and_restarted_sends_each_subscriber_one_message(
    population, redis_server, tmp_path
):
    gate = Gate()
    smtp = SmtpReceiver(gate).start()
    http = HttpReceiver(gate).start()
    for subscriber in Subscriber.objects.filter(channel="webhook"):
        name = f"h{subscriber.pk}"
        Subscriber.objects.filter(pk=subscriber.pk).update(webhook_url=http.hook_url(name))
        http.secrets[name] = subscriber.secret

    env = {
        **os.environ,
        "OUTAGEDESK_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "REDIS_URL": redis_server.url,
        "DATABASE_URL": database_url(),
        "FETCH_ALLOW_PRIVATE": "1",
        "TEST_SMTP_PORT": str(smtp.port),
        "OUTAGEDESK_VAR_DIR": str(tmp_path / "var"),
        # Short enough for the test to watch the recovery happen.
        "NOTIFY_LEASE_SECONDS": "4",
        "NOTIFY_SWEEP_GRACE_SECONDS": "3",
        "NOTIFY_BATCH_SIZE": "50",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "worker.log"
    broker = Celery(broker=redis_server.url, set_as_current=False)
    worker = Worker(env, log)

    def delivered() -> int:
        return smtp.count() + http.count()

    last_sweep = [0.0]

    def sweep() -> None:  # what beat does every minute in production, here every 3 s
        if time.monotonic() - last_sweep[0] >= 3:
            last_sweep[0] = time.monotonic()
            broker.send_task("notifications.sweep_task", queue="notify")

    try:
        worker.start()
        broker.send_task("notifications.fanout_update_task", args=[population.pk], queue="notify")
        wait_until(lambda: delivered() >= TOTAL // 3, 120, "a third of the deliveries")

        gate.close()
        # Every worker process ends up waiting on a send the receivers have not accepted.
        wait_until(lambda: gate.waiting >= 4, 20, "the worker's sends to reach the gate")
        worker.kill()
        gate.reject_waiting()
        at_kill = delivered()
        assert TOTAL // 3 <= at_kill < TOTAL
        claimed = Delivery.objects.filter(state="sending").count()
        assert claimed >= 4  # the killed sends, claimed under a lease nobody will release

        worker.start()
        wait_until(lambda: delivered() >= TOTAL, 240, "every delivery", every=0.5, tick=sweep)
        # Quiet: nothing left to send, nothing queued; then count.
        wait_until(
            lambda: (
                not Delivery.objects.exclude(state="sent").exists()
                and redis_server_queue_empty(redis_server.url)
            ),
            60,
            "the queue to drain",
            every=0.5,
            tick=sweep,
        )
        time.sleep(2)  # a duplicate send, if any, would arrive now: give it the chance
    finally:
        worker.stop()
        smtp.stop()
        http.stop()

    per_email = smtp.per_recipient()
    per_hook = http.per_path()
    assert len(per_email) == EMAILS and set(per_email.values()) == {1}
    assert len(per_hook) == HOOKS and set(per_hook.values()) == {1}
    assert http.bad_signatures == 0
    deliveries = Delivery.objects.filter(update=population)
    assert deliveries.count() == TOTAL
    assert set(deliveries.values_list("state", flat=True)) == {"sent"}
    # The sends killed in flight were claimed again after their lease and sent on attempt 2.
    assert deliveries.filter(attempts=2).count() >= claimed
    assert Fanout.objects.get(update=population).completed_at is not None


def redis_server_queue_empty(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url)
    return client.llen("notify") == 0
