"""The first README command's mode, for real: `manage.py run_embedded` starts the web server, a
Celery worker and beat on SQLite and the filesystem broker; the worker gathers evidence from the
local fixture replay (on a free port) into the database; the demo story (a backfilled week, an
outage shortly after launch) plays and the detector raises it; Ctrl-C stops everything. A port
already taken ends it with one line."""

import contextlib
import errno
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from demo.embedded import child_environment
from tests.services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
# The replay's port before it took a free one: a second copy on the same machine failed on it.
OLD_REPLAY_PORT = 8765


def _count(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
    except sqlite3.OperationalError:
        return 0


def _embedded_env(var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_TASK_ALWAYS_EAGER",
            "OUTAGEDESK_TESTING",
            "FIXTURE_REPLAY_PORT",
        }
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "outagedesk.settings",
            "OUTAGEDESK_VAR_DIR": str(var_dir),
            "OUTAGEDESK_DEMO_PASSWORD": "demo-password-for-test",
            "OUTAGEDESK_EMBEDDED": "1",
        }
    )
    return env


@contextlib.contextmanager
def port_taken(port: int | None = None):
    """Hold a listening socket on `port` (a free one if None) for the block; a port another
    process already holds is just as taken."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port or 0))
            sock.listen()
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
        yield port or sock.getsockname()[1]


def _replay_urls(db: Path) -> set[str]:
    with sqlite3.connect(db, timeout=5) as conn:
        rows = conn.execute(
            # The demo story's generated week has a source with no address.
            "SELECT url FROM incidents_source WHERE kind NOT IN ('probe', 'reader') AND url != ''"
        ).fetchall()
    return {url for (url,) in rows}


@pytest.mark.slow
def test_embedded_mode_runs_web_worker_and_beat_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    console = tmp_path / "console.log"
    # The demo outage 5 seconds after launch instead of 2 minutes, to keep the test short.
    command = [
        sys.executable, "manage.py", "run_embedded", "--port", str(port), "--web-workers", "1",
        "--story-start-seconds", "5",
    ]  # fmt: skip
    # The console goes to a file: a pipe nobody reads would fill up and stall the children.
    with port_taken(OLD_REPLAY_PORT), console.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=_embedded_env(tmp_path), stdout=out,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        db = tmp_path / "outagedesk.sqlite3"
        try:
            wait_for_port(port, timeout=90)
            _check_running(port, db)
            _check_the_story(port, db, tmp_path, console.read_text())
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    output = console.read_text()
    assert process.returncode == 0, output[-3000:]
    assert "Stopped." in output
    # Nothing keeps listening after Ctrl-C.
    with pytest.raises(OSError):
        wait_for_port(port, timeout=1)


def _check_running(port: int, db: Path) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        health = json.load(response)
    assert health["ok"], health
    assert health["checks"]["database"]["detail"] == "sqlite"
    assert health["checks"]["broker"]["detail"] == "filesystem"

    # The replay took another port than the one held, and the demo sources point at it.
    urls = _replay_urls(db)
    (replay_base,) = {urlsplit(url)._replace(path="").geturl() for url in urls}
    assert urlsplit(replay_base).port != OLD_REPLAY_PORT
    with urllib.request.urlopen(sorted(urls)[0], timeout=10) as response:
        assert response.status == 200 and response.read()

    # Beat ticks, the worker runs the gather jobs, evidence from the replay lands in SQLite.
    # (The demo story's generated week is evidence too, written before launch: not counted.)
    def gathered() -> int:
        return _query(
            db,
            "SELECT COUNT(*) FROM incidents_evidence e JOIN incidents_source s "
            "ON s.id = e.source_id WHERE s.url != ''",
        )[0][0]

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and gathered() == 0:
        time.sleep(1)
    assert gathered() > 0, "the worker gathered no evidence"
    assert _count(db, "outagedesk_scheduledjob") > 0


def _query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db, timeout=5) as conn:
        return conn.execute(sql).fetchall()


def _check_the_story(port: int, db: Path, var_dir: Path, console: str) -> None:
    """The console says what will happen and where to look; the week before launch is in the
    chart's data, the replayed counter's points arrive, and after the outage's start the
    detector opens a suspected incident, by itself."""
    site = f"http://127.0.0.1:{port}"
    assert "The demo story:" in console
    assert "A normal past week of WhatsApp report counts is in place" in console
    assert "WhatsApp goes down" in console
    assert f"Newsroom:     {site}/newsroom/" in console
    assert f"Password:     in {var_dir / 'demo_password'}" in console
    assert f"Service page: {site}/services/whatsapp/" in console
    assert console.index("The demo story:") < console.index("OutageDesk is running on")

    ((backfilled,),) = _query(
        db,
        "SELECT COUNT(*) FROM incidents_evidence e JOIN incidents_source s ON s.id = e.source_id "
        "WHERE s.name LIKE 'Demo story:%'",
    )
    assert backfilled == 2016  # a week of 5-minute points

    def live_points() -> int:
        return _query(
            db,
            "SELECT COUNT(*) FROM incidents_evidence e JOIN incidents_source s "
            "ON s.id = e.source_id WHERE s.kind = 'reports' AND s.is_enabled "
            "AND e.dedup_key LIKE 'point:%'",
        )[0][0]

    def suspected() -> list[tuple]:
        return _query(
            db,
            "SELECT title FROM incidents_incident WHERE status = 'suspected' "
            "AND detected_by_detector",
        )

    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and not (live_points() and suspected()):
        time.sleep(2)
    assert live_points() > 0, "no point of the replayed report counter arrived"
    assert suspected(), "the detector opened no suspected incident after the outage began"


def _run_embedded_until_exit(var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "run_embedded", "--web-workers", "1", *args],
        cwd=ROOT, env=_embedded_env(var_dir), capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_taken_web_port_ends_with_one_clear_line(tmp_path):
    with port_taken() as port:
        result = _run_embedded_until_exit(tmp_path, "--port", str(port))
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"CommandError: Port {port} on 127.0.0.1 is already in use (another OutageDesk?): "
        "stop it or choose another with --port."
    ]


def test_a_taken_replay_port_asked_for_ends_with_one_clear_line(tmp_path):
    port = free_port()
    with port_taken() as replay_port:
        result = _run_embedded_until_exit(
            tmp_path, "--port", str(port), "--replay-port", str(replay_port)
        )
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"CommandError: Replay port {replay_port} is already in use")
    assert result.stdout == ""  # stopped before migrating or seeding anything


def test_the_children_keep_the_fetch_allowed_hosts_of_the_environment(settings, tmp_path):
    # As read at start-up from FETCH_ALLOWED_HOSTS=status.internal:8443.
    settings.FETCH_ALLOWED_HOSTS = ["status.internal:8443"]
    env = child_environment(
        {**_embedded_env(tmp_path), "FETCH_ALLOWED_HOSTS": "status.internal:8443"},
        replay_url="http://127.0.0.1:40123/",
        host="127.0.0.1",
        port=8000,
    )
    # What the web server, worker and beat read from that environment.
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "print(settings.FETCH_ALLOWED_HOSTS)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['status.internal:8443', '127.0.0.1:40123']"
