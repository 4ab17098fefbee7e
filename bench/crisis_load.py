"""The writing side of bench/crisis.sh: reader comments and reader reports, from many addresses.

    python bench/crisis_load.py load BASE_URL SLUG RESULTS.json   # no Django needed
    python bench/crisis_load.py check RESULTS.json [NGINX_LOG]     # with the bench's environment

`load` posts comments at a steady COMMENT_RATE per second for DURATION seconds, each from one of
ADDRESSES loopback source addresses (127.10.x.y: nginx passes the address it saw, so the app
sees many readers), and in the middle sends a burst of reader reports ("it's down for me"),
most from addresses that never reported, some repeated (which must be refused: one report per
reader per hour). Comments use the form as a browser does: the section page is read once for
its signed form token, which is reused once the minimum fill time has passed (the token says
when the form was opened, it is not single-use). Every answer is recorded.

`check` prints the share of comments accepted into the moderation queue, the posts' p50 and p99
as the load generator measured them and, from nginx's log of the posts (NGINX_LOG: `$msec $uri
$status $request_time $upstream_response_time`), as the server measured them, then
counts what the database holds against what was accepted (comments answered 303, reports
answered 200), waits (up to CRISIS_CHECKS_WAIT seconds) for the worker to finish the automatic
checks of the accepted comments, and exits non-zero on any difference. Targets (issue 13): at
least 95% of comments accepted, posts p99 under 200 ms, every accepted post stored.
"""

import http.client
import json
import os
import random
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

DURATION = float(os.environ.get("CRISIS_DURATION", "60"))
COMMENT_RATE = float(os.environ.get("CRISIS_COMMENT_RATE", "20"))
ADDRESSES = int(os.environ.get("CRISIS_ADDRESSES", "300"))
REPORTS = int(os.environ.get("CRISIS_REPORTS", "1500"))
REPORT_REPEATS = int(os.environ.get("CRISIS_REPORT_REPEATS", "150"))
MIN_FILL_SECONDS = 3.2
CHECKS_WAIT = float(os.environ.get("CRISIS_CHECKS_WAIT", "60"))
TARGET_ACCEPTED = 0.95
TARGET_POST_P99_MS = 200.0

PHRASES = [
    "Chez moi aussi, plus rien ne part depuis une heure.",
    "Same here in Lyon, messages stuck on one grey tick.",
    "Les appels vidéo coupent au bout de dix secondes.",
    "Is there any news from Meta about this outage?",
    "Impossible d'envoyer des photos, le texte passe parfois.",
    "Working again for me on wifi, not on 4G.",
    "Merci pour le suivi, c'est plus clair qu'ailleurs.",
    "My business account cannot reach customers, any advice?",
    "Toujours en panne à Bruxelles, rien ne bouge.",
    "Does Telegram work as a backup in the meantime?",
]
WORDS = [
    "ce",
    "soir",
    "depuis",
    "encore",
    "toujours",
    "vraiment",
    "rien",
    "partout",
    "bureau",
    "famille",
    "groupe",
]


def address(index: int) -> str:
    return f"127.10.{index // 250}.{index % 250 + 1}"


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        # kind → (status, seconds it took, when it was sent in seconds since the load began)
        self.answers: dict[str, list[tuple[int, float, float]]] = {"comment": [], "report": []}
        self.began = time.monotonic()

    def add(self, kind: str, status: int, started: float) -> None:
        now = time.monotonic()
        with self.lock:
            self.answers[kind].append((status, now - started, started - self.began))


def post(base: str, path: str, source: str, fields: dict, accept: str = "text/html") -> int:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST",
            path,
            body=urlencode(fields),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"{parts.scheme}://{parts.netloc}",
                "Accept": accept,
                "User-Agent": "Mozilla/5.0 (crisis bench)",
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0  # no answer at all: counted apart from HTTP statuses
    finally:
        connection.close()


def form_token(base: str, slug: str) -> str:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    connection.request("GET", f"/en/incidents/{slug}/comments/")
    html = connection.getresponse().read().decode()
    connection.close()
    match = re.search(r'name="ts" value="([^"]+)"', html)
    if not match:
        sys.exit("crisis_load: no form token in the comment section")
    return match.group(1)


def comment_fields(token: str, index: int) -> dict:
    text = f"{random.choice(PHRASES)} {' '.join(random.sample(WORDS, 3))} ({index})"
    return {"name": f"Lecteur {index % ADDRESSES}", "email": "", "text": text, "website": "",
            "ts": token}  # fmt: skip


def load(base: str, slug: str, results: Path) -> None:
    recorder = Recorder()
    began = time.time()
    token = form_token(base, slug)
    time.sleep(MIN_FILL_SECONDS)  # the minimum time a reader spends writing, once
    comments_path = f"/en/incidents/{slug}/comments/"
    report_path = "/services/whatsapp/report/"

    def one_comment(index: int) -> None:
        started = time.monotonic()
        status = post(base, comments_path, address(index % ADDRESSES), comment_fields(token, index))
        recorder.add("comment", status, started)

    def one_report(index: int) -> None:
        started = time.monotonic()
        # Reporters are other readers than the commenters: addresses after theirs.
        source = address(ADDRESSES + index % (REPORTS - REPORT_REPEATS))
        fields = {"component": random.choice(["messages", "calls", "media", ""]),
                  "country": random.choice(["FR", "BE", "CH", "CA", ""])}  # fmt: skip
        status = post(base, report_path, source, fields, accept="application/json")
        recorder.add("report", status, started)

    with ThreadPoolExecutor(max_workers=48) as comments, ThreadPoolExecutor(32) as reports:
        started = time.monotonic()
        burst_at = started + DURATION / 3
        burst_sent = False
        index = 0
        while True:
            now = time.monotonic()
            if now - started >= DURATION:
                break
            if not burst_sent and now >= burst_at:
                for report in range(REPORTS):
                    reports.submit(one_report, report)
                burst_sent = True
            due = started + index / COMMENT_RATE
            if now >= due:
                comments.submit(one_comment, index)
                index += 1
            else:
                time.sleep(min(due - now, 0.01))
    results.write_text(json.dumps({"slug": slug, "began": began, "answers": recorder.answers}))


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(results: Path) -> dict:
    data = json.loads(results.read_text())
    out: dict[str, Any] = {}
    for kind, answers in data["answers"].items():
        statuses = [status for status, _seconds, _sent in answers]
        seconds = [took for _status, took, _sent in answers]
        sent_at = [sent for _status, _took, sent in answers]
        accepted = sum(1 for s in statuses if s == (303 if kind == "comment" else 200))
        out[kind] = {
            "sent": len(statuses),
            "accepted": accepted,
            "rate_limited": statuses.count(429),
            "server_errors": sum(1 for s in statuses if s >= 500),
            "no_answer": statuses.count(0),
            "other": sorted({s for s in statuses if s not in (200, 303, 429) and 0 < s < 500}),
            "p50_ms": round(percentile(seconds, 0.50) * 1000, 1),
            "p99_ms": round(percentile(seconds, 0.99) * 1000, 1),
            "span_s": round(
                max((s + t for s, t in zip(sent_at, seconds, strict=True)), default=0)
                - min(sent_at, default=0),
                1,
            ),
        }
    every_post = [took for answers in data["answers"].values() for _s, took, _sent in answers]
    out["posts_p99_ms"] = round(percentile(every_post, 0.99) * 1000, 1)
    return {"slug": data["slug"], "began": data["began"], **out}


def nginx_timings(log: Path) -> dict[str, tuple[int, float, float]]:
    """kind → (posts, p50 ms, p99 ms) of the posts nginx logged, by its own clock."""
    times: dict[str, list[float]] = {"comment": [], "report": []}
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        kind = "report" if parts[1].endswith("/report/") else "comment"
        times[kind].append(float(parts[3]))
    every = [t for values in times.values() for t in values]
    return {
        kind: (len(values), percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000)
        for kind, values in {**times, "all": every}.items()
    }


def checks_settled(began, slug: str) -> tuple[int, dict[str, int], float]:
    """Wait for the worker to run the automatic checks of the bench's comments: how many are
    still waiting at the end, the statuses they ended in, and how long it took."""
    from django.db.models import Count

    from comments.models import Comment

    bench = Comment.objects.filter(incident__slug=slug, created_at__gte=began)
    started = time.monotonic()
    while True:
        waiting = bench.filter(awaiting_checks=True).count()
        if not waiting or time.monotonic() - started >= CHECKS_WAIT:
            break
        time.sleep(1)
    statuses = dict(
        bench.filter(awaiting_checks=False)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return waiting, statuses, time.monotonic() - started


def check(results: Path, nginx_log: Path | None = None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outagedesk.settings")
    from datetime import UTC, datetime

    import django

    django.setup()
    from comments.models import Comment
    from incidents.models import Evidence

    counts = summary(results)
    began = datetime.fromtimestamp(counts["began"], tz=UTC)
    stored_comments = Comment.objects.filter(
        incident__slug=counts["slug"], created_at__gte=began
    ).count()
    comments, reports = counts["comment"], counts["report"]
    # Accepted reports wait in Redis for the worker (incidents/services/report_buffer.py): give
    # it the time it needs, and say how long that was.
    reader_reports = Evidence.objects.filter(
        source__kind="reader", source__service__slug="whatsapp", observed_at__gte=began
    )
    waited_from = time.monotonic()
    while (stored_reports := reader_reports.count()) < reports["accepted"]:
        if time.monotonic() - waited_from >= CHECKS_WAIT:
            break
        time.sleep(0.2)
    reports_stored_after = time.monotonic() - waited_from
    for kind, figures in (("comments", comments), ("reader reports", reports)):
        print(
            f"{kind:<15} sent {figures['sent']:>5}  accepted {figures['accepted']:>5}  "
            f"rate-limited (429) {figures['rate_limited']:>5}  5xx {figures['server_errors']}  "
            f"no answer {figures['no_answer']}  other {figures['other'] or '-'}  "
            f"p50 {figures['p50_ms']} ms  p99 {figures['p99_ms']} ms  "
            f"over {figures['span_s']} s"
        )
    share = comments["accepted"] / comments["sent"] if comments["sent"] else 0.0
    print(
        f"comments accepted into the queue: {share:.1%} of {comments['sent']} "
        f"(target >= {TARGET_ACCEPTED:.0%}: {'met' if share >= TARGET_ACCEPTED else 'MISSED'})"
    )
    posts_p99 = counts["posts_p99_ms"]
    print(
        f"posts p99 (comments and reports): {posts_p99} ms "
        f"(target < {TARGET_POST_P99_MS:.0f} ms: "
        f"{'met' if posts_p99 < TARGET_POST_P99_MS else 'MISSED'})"
    )
    if nginx_log is not None and nginx_log.exists():
        timed = nginx_timings(nginx_log)
        print(
            "the same posts as nginx timed them (request_time, without the load generator's "
            "own delays): "
            + ",  ".join(
                f"{kind} {n}: p50 {p50:.1f} ms, p99 {p99:.1f} ms"
                for kind, (n, p50, p99) in timed.items()
            )
        )
    ok = stored_comments == comments["accepted"] and stored_reports == reports["accepted"]
    print(
        f"accepted vs stored: comments {comments['accepted']} accepted, {stored_comments} stored; "
        f"reader reports {reports['accepted']} accepted, {stored_reports} stored: "
        + ("every accepted post is stored" if ok else "MISMATCH")
        + f" (the last reports stored {reports_stored_after:.1f} s after the load ended)"
    )
    waiting, statuses, waited = checks_settled(began, counts["slug"])
    print(
        f"automatic checks on the worker: {sum(statuses.values())} done, {waiting} still waiting "
        f"after {waited:.0f} s; outcome "
        + (", ".join(f"{status} {n}" for status, n in sorted(statuses.items())) or "-")
    )
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "load" and len(sys.argv) == 5:
        load(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
    elif command == "check" and len(sys.argv) in (3, 4):
        check(Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) == 4 else None)
    else:
        sys.exit(__doc__)
