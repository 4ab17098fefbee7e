"""Fan-out throughput: deliveries per second per worker process, to a local SMTP server and a
local webhook receiver, for 1,000 to 10,000 subscribers.

    .venv/bin/python bench/fanout.py                 # SQLite (the embedded default)
    .venv/bin/python bench/fanout.py --postgres      # a throwaway PostgreSQL cluster
    .venv/bin/python bench/fanout.py --sizes 1000,10000 --workers 1,2 --channels webhook

Everything stays on 127.0.0.1 and in a temporary folder (its own database, deleted at the
end). The receivers (aiosmtpd, and an HTTP server that checks every signature) run in their
own process so the figures measure the sender. Each run: N confirmed subscribers of one
channel, one update; the fan-out creates the N Delivery rows (timed), then W worker processes
take the batches and claim, send and mark each delivery exactly as
`notifications.deliver_batch_task` does (the Celery broker round trip per batch of 100 is left
out). Every run checks that each subscriber got exactly one message.
"""

import argparse
import multiprocessing
import os
import queue as queue_module
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,2500,5000,10000", help="subscribers, with one worker"
    )
    parser.add_argument(
        "--workers", default="2", help="more worker processes, at the largest size (e.g. 2,4)"
    )
    parser.add_argument("--channels", default="email,webhook")
    parser.add_argument("--postgres", action="store_true", help="bench on PostgreSQL")
    parser.add_argument(
        "--max-seconds", type=float, default=1200, help="start no new run after this long"
    )
    return parser.parse_args()


def configure(tmp: Path, postgres: bool):
    """Environment for a throwaway instance, set before Django reads its settings."""
    server = None
    if postgres:
        from tests.services import PostgresServer

        server = PostgresServer(tmp / "pg").start()
        database_url = server.url
    else:
        database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="outagedesk.settings",
        OUTAGEDESK_TESTING="1",
        OUTAGEDESK_VAR_DIR=str(tmp / "var"),
        DATABASE_URL=database_url,
        FETCH_ALLOW_PRIVATE="1",
        CELERY_TASK_ALWAYS_EAGER="0",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    return server


def serve_receivers(smtp, http, pipe):
    """The receivers' own process: answers 'count' with what was accepted so far."""
    smtp.start()
    http.start()
    while True:
        command = pipe.recv()
        if command == "count":
            pipe.send((smtp.count(), http.count(), http.bad_signatures, smtp.per_recipient()))
        elif command == "stop":
            smtp.stop()
            http.stop()
            return


def deliver_worker(queue, results):
    from django.db import connection

    from notifications.services import deliveries_send  # imported by the parent before fork

    sent = problems = 0
    while (ids := queue.get()) is not None:
        outcome = deliveries_send(ids)
        sent += outcome.sent
        problems += outcome.failed + len(outcome.retry_ids) + len(outcome.leftover_ids)
    connection.close()
    results.put((sent, problems))


def run_once(channel: str, size: int, workers: int, receivers, http_url: str) -> dict:
    from django.db import connections
    from django.utils import timezone

    from incidents.models import Incident, IncidentUpdate, Service
    from notifications import fanout
    from notifications.models import Delivery, Fanout, Subscriber
    from notifications.services import deliveries_send  # noqa: F401 (loaded before the fork)

    Delivery.objects.all().delete()
    Fanout.objects.all().delete()
    Subscriber.objects.all().delete()
    IncidentUpdate.objects.all().delete()
    service = Service.objects.get_or_create(slug="whatsapp", defaults={"name": "WhatsApp"})[0]
    incident = Incident.objects.get_or_create(
        service=service,
        slug="bench",
        defaults={"title": "Bench", "status": "investigating", "is_public": True},
    )[0]
    confirmed = timezone.now() - timedelta(minutes=1)
    tag = f"{channel}-{size}-{workers}"
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                channel=channel,
                service=service,
                email=f"r{i}.{tag}@bench.example" if channel == "email" else "",
                webhook_url=f"{http_url}/hook/h{i}" if channel == "webhook" else "",
                secret="bench-secret",
                language="fr" if i % 2 else "en",
                confirmed_at=confirmed,
                key=f"{tag}-{i}",
            )
            for i in range(size)
        ],
        batch_size=1000,
    )
    update = IncidentUpdate.objects.create(
        incident=incident,
        status="investigating",
        title="Messages are not delivered",
        message="Since 17:40, messages stay on one grey tick.",
        advice="Use SMS for urgent messages.",
        sources_text="Meta status page; reports on Downdetector",
        language="en",
        published_at=timezone.now(),
    )

    batches: list[list[int]] = []  # handed to the worker processes below, not to a broker

    receivers.send("count")
    before_smtp, before_http, _bad, _per = receivers.recv()
    started = time.monotonic()
    fanout.fanout_run(update_id=update.pk, enqueue_batch=batches.append)
    fanout_seconds = time.monotonic() - started

    connections.close_all()  # each worker process opens its own
    context = multiprocessing.get_context("fork")
    queue, results = context.Queue(), context.Queue()
    for batch in batches:
        queue.put(batch)
    for _ in range(workers):
        queue.put(None)
    started = time.monotonic()
    processes = [
        context.Process(target=deliver_worker, args=(queue, results)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    outcomes: list[tuple[int, int]] = []
    while len(outcomes) < workers:
        try:
            outcomes.append(results.get(timeout=1))
        except queue_module.Empty:
            dead = [p for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"a worker died (exit code {dead[0].exitcode})") from None
    for process in processes:
        process.join()
    seconds = time.monotonic() - started

    receivers.send("count")
    after_smtp, after_http, bad, per_recipient = receivers.recv()
    received = (after_smtp - before_smtp) + (after_http - before_http)
    sent = sum(sent for sent, _p in outcomes)
    problems = sum(p for _s, p in outcomes)
    states = set(Delivery.objects.filter(update=update).values_list("state", flat=True))
    assert received == sent == size, (received, sent, size)
    assert states == {"sent"} and problems == 0 and bad == 0, (states, problems, bad)
    if channel == "email":
        mine = [n for rcpt, n in per_recipient.items() if rcpt.endswith(f".{tag}@bench.example")]
        assert len(mine) == size and set(mine) == {1}, "a subscriber got no mail, or two"
    return {
        "fanout_rows_per_s": size / fanout_seconds,
        "seconds": seconds,
        "per_s": size / seconds,
        "per_worker": size / seconds / workers,
    }


def main():
    args = parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",") if w]
    channels = args.channels.split(",")
    tmp = Path(tempfile.mkdtemp(prefix="outagedesk-bench-"))
    tmp.chmod(0o711)  # PostgreSQL runs as its own user and must reach its folder inside
    database = configure(tmp, args.postgres)
    try:
        bench(args, sizes, worker_counts, channels, tmp)
    finally:
        if database:
            database.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def bench(args, sizes, worker_counts, channels, tmp):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from tests.notifications.receivers import HttpReceiver, SmtpReceiver

    call_command("migrate", verbosity=0)
    from django.urls import reverse

    reverse("notifications:subscribe")  # load the URLconf once, before the workers fork

    smtp, http = SmtpReceiver(), HttpReceiver()
    http.default_secret = "bench-secret"
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    receiver_process = context.Process(target=serve_receivers, args=(smtp, http, theirs))
    receiver_process.start()
    http.server.server_close()  # the receivers' process serves it
    from tests.services import wait_for_port

    wait_for_port(smtp.port)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp.port, "timeout": 10},
        }
    }

    engine = "PostgreSQL" if args.postgres else "SQLite (WAL)"
    load = os.getloadavg()[0]
    print(
        f"OutageDesk fan-out bench: {engine}, {os.cpu_count()} CPUs, load average {load:.1f} "
        f"at start; receivers on 127.0.0.1 in their own process; webhook HTTP through "
        "outagedesk.lib.fetch.safe_fetch."
    )
    header = f"{'channel':8} {'subscribers':>11} {'workers':>7} {'fan-out rows/s':>14} {'deliveries/s':>12} {'per worker':>10} {'seconds':>8}"
    print(header)
    print("-" * len(header))
    deadline = time.monotonic() + args.max_seconds
    try:
        runs = [(1, size) for size in sizes] + [(w, max(sizes)) for w in worker_counts if w != 1]
        for channel in channels:
            for workers, size in runs:
                if time.monotonic() > deadline:
                    print(f"(stopped: --max-seconds {args.max_seconds:g} reached)")
                    return
                result = run_once(channel, size, workers, ours, http.url)
                print(
                    f"{channel:8} {size:>11,} {workers:>7} {result['fanout_rows_per_s']:>14,.0f} "
                    f"{result['per_s']:>12,.0f} {result['per_worker']:>10,.0f} {result['seconds']:>8.1f}",
                    flush=True,
                )
    finally:
        ours.send("stop")
        receiver_process.join(timeout=10)


if __name__ == "__main__":
    main()
