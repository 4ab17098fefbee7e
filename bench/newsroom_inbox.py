"""Newsroom response times and query counts with 10,000 evidence items.

Run: .venv/bin/python bench/newsroom_inbox.py  (a throw-away SQLite database in a temp folder;
DATABASE_URL=postgresql://... measures PostgreSQL instead). Prints figures; asserts nothing.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OUTAGEDESK_VAR_DIR", tempfile.mkdtemp(prefix="outagedesk-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from demo.seeding import seed_demo  # noqa: E402
from incidents.models import Evidence, Incident, Source  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
RUNS = 20


def main() -> None:
    # Not setup_test_environment(): its template instrumentation would dominate the timings.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    seed_demo(replay_url="")
    user = get_user_model().objects.create_user("bench-editor", password="x" * 20)
    user.groups.add(Group.objects.get(name="editor"))
    first_source = Source.objects.first()
    assert first_source is not None, "seed_demo made no source"
    service = first_source.service
    incident = Incident.objects.create(
        service=service,
        slug="bench",
        title="Bench incident",
        status="suspected",
        started_at=timezone.now() - timedelta(hours=1),
    )
    sources = list(Source.objects.filter(service=service))
    counter = next(s for s in sources if s.kind == Source.Kind.REPORTS)
    now = timezone.now()

    def is_point(i: int) -> bool:
        # A quarter of the items are a report counter's points: stored, out of the inbox.
        return i % 4 == 0

    Evidence.objects.bulk_create(
        [
            Evidence(
                source=counter if is_point(i) else sources[i % len(sources)],
                signal_kind="reports" if is_point(i) else "post",
                in_inbox=not is_point(i),
                service=service,
                incident=incident if i % 2 else None,
                text=f"item {i}",
                observed_at=now - timedelta(seconds=i / 3),
                dedup_key=f"bench-{i}",
                state=("unverified", "verified", "rejected")[i % 3],
                component_hints=["messages"],
                region_hints=["FR"],
            )
            for i in range(ITEMS)
        ],
        batch_size=2000,
    )
    latest = Evidence.objects.latest("id").pk
    client = Client()
    client.force_login(user)
    hx = {"HTTP_HX_REQUEST": "true"}
    pages: dict[str, tuple[str, dict[str, Any]]] = {
        "dashboard": ("/newsroom/", {}),
        "workspace": (f"/newsroom/incidents/{incident.pk}/", {}),
        "inbox": (f"/newsroom/incidents/{incident.pk}/inbox/", hx),
        "inbox filtered": (
            f"/newsroom/incidents/{incident.pk}/inbox/?tier=community&component=messages",
            hx,
        ),
        "live poll (nothing new)": (f"/newsroom/incidents/{incident.pk}/inbox/?after={latest}", hx),
    }
    in_inbox = Evidence.objects.filter(in_inbox=True).count()
    print(
        f"{ITEMS} evidence items ({ITEMS - in_inbox} counter points out of the inbox), "
        f"{connection.vendor}, median of {RUNS} runs"
    )
    for name, (url, extra) in pages.items():
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, **extra)
                timings.append((time.perf_counter() - started) * 1000)
        print(
            f"  {name:<26} {statistics.median(timings):7.1f} ms  "
            f"{len(queries):3d} queries  HTTP {response.status_code}"
        )


if __name__ == "__main__":
    main()
