"""Gathering throughput: 100 sources, each answering after 200 ms, gathered in one cycle.

    .venv/bin/python bench/gather.py [--sources 100] [--latency 0.2] [--workers 20] [--sequential]

Runs on a throwaway SQLite database with a local HTTP server that serves the recorded source
responses (each source under its own path, so none shares another's ETag) after `--latency`
seconds. Prints sources per second, cycle time and peak memory (the process's peak resident size,
and Python allocations traced during a separate, untimed first cycle, since tracing slows Python
down). A second cycle re-reads every source in full when all its items are already stored (the
steady state). `--sequential` also times one thread, for
comparison: that is what 100 sources x 200 ms cost without concurrency.
"""

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Source kind → recorded response it is served.
MIX = [
    ("mastodon", "mastodon_tag_timeline.json", {}),
    ("bluesky", "bluesky_search_posts.json", {}),
    ("reddit", "reddit_search.json", {}),
    ("hn", "hn_algolia_search_outage.json", {}),
    ("statuspage", "statuspage_summary_outage.json", {}),
    ("feed", "status_feed.atom", {}),
    ("feed", "status_feed.rss", {}),
    (
        "reports",
        "downdetector_outage_report.json",
        {"series_path": "time_series", "time_field": "date", "value_field": "reports_value"},
    ),
]


def slow_server(folder: Path, latency: float) -> ThreadingHTTPServer:
    from outagedesk.lib.replay_server import CONTENT_TYPES

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            return

        def do_GET(self):
            time.sleep(latency)
            name = self.path.split("?", 1)[0].rsplit("/", 1)[-1]
            path = folder / name
            body = path.read_bytes() if path.is_file() else b"not found"
            self.send_response(200 if path.is_file() else 404)
            self.send_header("Content-Type", CONTENT_TYPES.get(path.suffix, "text/plain"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


def setup_sources(count: int, base_url: str):
    from incidents.models import Service, Source

    service = Service.objects.create(slug="bench", name="Bench")
    Source.objects.bulk_create(
        Source(
            service=service,
            name=f"bench source {index}",
            kind=MIX[index % len(MIX)][0],
            url=f"{base_url}/s/{index}/{MIX[index % len(MIX)][1]}",
            tier="community",
            config=MIX[index % len(MIX)][2],
            poll_interval_seconds=60,
        )
        for index in range(count)
    )
    return service


def run_cycle(workers: int):
    from django.utils import timezone

    from incidents.gathering import gather_cycle

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu_started = time.perf_counter(), time.process_time()
    report = gather_cycle(now=timezone.now(), max_workers=workers)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    report.cpu = cpu  # type: ignore[attr-defined]  # the bench's own figure, printed below
    # Peak resident size of the process, and how much the cycle added to it (kB on Linux).
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return report, elapsed, (rss_after, rss_after - rss_before)


def traced_peak(workers: int) -> float:
    """Peak Python allocations of one more cycle, in MB. Run apart from the timed cycles:
    tracing every allocation slows Python down a lot."""
    tracemalloc.start()
    run_cycle(workers)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--sequential", action="store_true")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="outagedesk-bench-")
    os.environ.update(
        {
            "OUTAGEDESK_TESTING": "1",
            "OUTAGEDESK_VAR_DIR": workdir,
            "DJANGO_SETTINGS_MODULE": "outagedesk.settings",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "FETCH_ALLOW_PRIVATE": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from incidents.models import Evidence, SignalBucket, Source

    call_command("migrate", verbosity=0)
    server = slow_server(Path(settings.FIXTURE_SOURCES_DIR), args.latency)
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    setup_sources(args.sources, base_url)

    def start_over(*, forget_evidence: bool) -> None:
        if forget_evidence:
            Evidence.objects.all().delete()
            SignalBucket.objects.all().delete()
        Source.objects.update(next_poll_at=None, etag="", last_modified="")

    report, elapsed, (rss, rss_growth) = run_cycle(args.workers)
    failed = [o for o in report.outcomes if o.status == "failed"]
    print(
        f"sources gathered     {len(report.outcomes)} ({len(failed)} failed), "
        f"{args.latency * 1000:.0f} ms latency each, {args.workers} threads"
    )
    print(f"evidence stored      {Evidence.objects.count()}")
    print(
        f"cycle time           {elapsed:.2f} s ({report.cpu:.2f} s of CPU in this process, "
        "the local web server's threads included)"
    )
    print(f"sources per second   {len(report.outcomes) / elapsed:.1f}")
    for outcome in failed[:5]:
        print(f"  failed: source {outcome.source_id}: {outcome.error}")

    # Steady state: every source answers again in full (no ETag), every item is known.
    start_over(forget_evidence=False)
    second, second_elapsed, _rss = run_cycle(args.workers)
    print(
        f"second cycle         {second_elapsed:.2f} s ({second.cpu:.2f} s CPU), "
        f"{len(second.outcomes) / second_elapsed:.1f} sources per second, "
        f"{second.created} new items (everything already known)"
    )

    start_over(forget_evidence=True)
    traced = traced_peak(args.workers)
    print(
        f"peak memory          {traced:.1f} MB of Python allocations during a first cycle, "
        f"process peak RSS {rss / 1024:.0f} MB (+{rss_growth / 1024:.0f} MB in the timed cycle)"
    )

    if args.sequential:
        start_over(forget_evidence=True)
        sequential, sequential_elapsed, _rss = run_cycle(1)
        print(
            f"sequential, 1 thread {sequential_elapsed:.2f} s, "
            f"{len(sequential.outcomes) / sequential_elapsed:.1f} sources per second"
        )
    server.shutdown()


if __name__ == "__main__":
    main()
