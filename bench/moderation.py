"""Moderation bench: how long the queue takes to render with 100,000 comments in the database,
and how many reader comments per second the public endpoint takes in.

Runs on its own temporary SQLite database (deleted afterwards), with bounded loops:
    .venv/bin/python bench/moderation.py [--comments 100000] [--renders 10] [--submissions 300]
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="outagedesk-bench-")
os.environ.update(
    {
        "OUTAGEDESK_TESTING": "1",
        "OUTAGEDESK_VAR_DIR": WORKDIR,
        "DATABASE_URL": f"sqlite:///{WORKDIR}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "outagedesk.settings",
        "LOG_LEVEL": "ERROR",
    }
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core import signing  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

TEXTS = [
    "Est-ce que mes messages ont été perdus ?",
    "Quand est-ce que ça revient ?",
    "Toujours en panne chez moi à Lyon depuis midi.",
    "Is WhatsApp hacked? Is my data safe?",
    "Ça remarche à Paris, les messages partent de nouveau.",
    "Vous conseillez quoi comme autre appli en attendant ?",
    "Plus rien ne passe, ni les appels ni les photos.",
    "Merci pour le suivi, très utile.",
]
STATUSES = ["pending"] * 2 + ["approved"] * 6 + ["rejected", "spam"]


def build(comments: int):
    from comments.models import Comment
    from demo.seeding import seed_demo
    from incidents.models import Incident, Service

    call_command("migrate", verbosity=0)
    seed_demo(replay_url="")
    service = Service.objects.get(slug="whatsapp")
    incidents = [
        Incident.objects.create(
            service=service,
            slug=f"bench-incident-{i}",
            title=f"Panne de bench {i}",
            is_public=True,
            status=Incident.Status.INVESTIGATING,
            started_at=timezone.now(),
        )
        for i in range(5)
    ]
    user = get_user_model().objects.create_user("bench-moderator", password="x" * 20)
    user.groups.add(Group.objects.get(name="moderator"))
    now = timezone.now()
    batch = 5000
    for start in range(0, comments, batch):
        with transaction.atomic():
            Comment.objects.bulk_create(
                Comment(
                    incident=incidents[i % len(incidents)],
                    name=f"Lecteur {i}",
                    text=TEXTS[i % len(TEXTS)],
                    status=STATUSES[i % len(STATUSES)],
                    needs_review=STATUSES[i % len(STATUSES)] == "pending",
                    reasons=[{"code": "shouting", "decision": "hold", "detail": "80"}]
                    if i % 9 == 0
                    else [],
                    address_hash=f"{i % 5000:064d}",
                    language="en" if i % 8 == 3 else "fr",
                    created_at=now - timedelta(seconds=comments - i),
                    reported_at=now if i % 50 == 0 else None,
                )
                for i in range(start, min(start + batch, comments))
            )
    return user, incidents


def time_queue(client: Client, url: str, renders: int) -> tuple[list[float], int, int]:
    client.get(url)  # warm templates and the suggestion index
    timings = []
    for _ in range(renders):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    rows = response.content.decode().count('class="queue-row status-')
    return timings, len(queries.captured_queries), rows


def time_submissions(incident, submissions: int) -> float:
    from comments.forms import FORM_TOKEN_SALT

    client = Client()
    url = f"/en/incidents/{incident.slug}/comments/"
    token = signing.dumps(time.time() - 60, salt=FORM_TOKEN_SALT)
    started = time.perf_counter()
    for i in range(submissions):
        response = client.post(
            url,
            {
                "name": f"Lecteur {i}",
                "email": "",
                "text": f"{TEXTS[i % len(TEXTS)]} (message {i})",
                "website": "",
                "ts": token,
            },
            HTTP_ORIGIN="http://testserver",
            REMOTE_ADDR=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
        )
        assert response.status_code == 303, response.status_code
    return submissions / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--submissions", type=int, default=300)
    args = parser.parse_args()
    # The test client's host; no setup_test_environment, whose template instrumentation
    # would slow every render down and skew the figures.
    hosts = override_settings(ALLOWED_HOSTS=["testserver"])
    hosts.enable()
    try:
        started = time.perf_counter()
        user, incidents = build(args.comments)
        print(
            f"database: {args.comments:,} comments built in {time.perf_counter() - started:.1f} s"
        )
        client = Client()
        client.force_login(user)
        for label, url in [
            ("pending, oldest first", "/moderation/"),
            ("approved, newest first", "/moderation/?queue=approved&order=newest"),
            ("reported", "/moderation/?queue=reported"),
            ("one incident", f"/moderation/?incident={incidents[0].pk}"),
            ("live counts", "/moderation/counts/"),
        ]:
            if "counts" in url:
                client.get(url)
                timings = []
                for _ in range(args.renders):
                    t0 = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - t0) * 1000)
                detail = ""
            else:
                timings, queries, rows = time_queue(client, url, args.renders)
                detail = f", {rows} rows, {queries} queries"
            print(
                f"queue render ({label}): median {statistics.median(timings):.0f} ms, "
                f"min {min(timings):.0f} ms, max {max(timings):.0f} ms{detail}"
            )
        with override_settings(
            COMMENT_RATE_PER_ADDRESS=10**9,
            COMMENT_RATE_PER_INCIDENT=10**9,
            COMMENT_MIN_FILL_SECONDS=0,
            COMMENT_REPEAT_INCIDENT_COPIES=10**9,
        ):
            rate = time_submissions(incidents[1], args.submissions)
        print(
            f"comment submissions: {rate:.0f} per second "
            f"({args.submissions} POSTs through the public endpoint, auto-moderation included)"
        )
    finally:
        hosts.disable()
        connection.close()
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
