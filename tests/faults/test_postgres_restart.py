"""PostgreSQL restarts under a running app, which recovers without being restarted.

The app runs as in production: gunicorn with deploy/gunicorn.conf.py (gthread workers keeping
their database connections for DB_CONN_MAX_AGE), DEBUG off, against a PostgreSQL server of
this test's own, migrated and seeded. Two faults:

1. PostgreSQL restarts between two requests: every worker thread holds a connection to a
   server that is gone. CONN_HEALTH_CHECKS makes Django notice before using it, so the first
   requests after the restart already succeed.
2. PostgreSQL is down for a while: requests that need the database get a quick, clean error
   (503 from /healthz saying which dependency is down, Django's plain 500 elsewhere, no
   traceback), the public pages still come from the cache; once it is back, everything is
   served again.

Throughout, the same gunicorn master and workers answer: nothing was restarted."""

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.services import free_port, wait_for_port
from tests.support.workers import ROOT, child_pids, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PAST_INCIDENT = "whatsapp-panne-mondiale-2021-10-04"
PUBLIC = ["/fr/", f"/fr/incidents/{PAST_INCIDENT}/", "/api/v2/summary.json"]
# Read from the database at every request (not cached).
LIVE = ["/healthz", f"/fr/incidents/{PAST_INCIDENT}/comments/"]


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    """One request; an answer that takes longer than `timeout` fails the test (urllib raises)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def app_on_postgres(postgres_server, tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")},
        "DJANGO_SETTINGS_MODULE": "outagedesk.settings",
        "DATABASE_URL": postgres_server.url,
        "DEBUG": "0",
        # Plain static storage: no collectstatic needed, nothing else differs from production.
        "OUTAGEDESK_TESTING": "1",
        "SECRET_KEY": "postgres-restart-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "OUTAGEDESK_VAR_DIR": str(tmp_path / "var"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
        "PYTHONUNBUFFERED": "1",
    }
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    log = (tmp_path / "gunicorn.log").open("wb")
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
         "outagedesk.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=30)
        yield f"http://127.0.0.1:{port}", web, postgres_server, tmp_path / "gunicorn.log"
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        try:
            web.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(web.pid, signal.SIGKILL)
            web.wait(timeout=10)
        log.close()


def load(base: str, paths: list[str], rounds: int = 4) -> list[tuple[str, int, bytes]]:
    """Concurrent requests, so every worker thread (and its connection) takes part; returns
    (path, status, body) of the answers that were not 200."""
    urls = [path for _ in range(rounds) for path in paths]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda p: get(base + p), urls))
    return [
        (url, status, body[:300])
        for url, (status, body) in zip(urls, answers, strict=True)
        if status != 200
    ]


def test_the_app_recovers_from_a_postgres_restart_without_being_restarted(app_on_postgres):
    base, web, postgres, log = app_on_postgres
    wait_until(lambda: len(child_pids(web.pid)) == 2, 30, "gunicorn's two workers")
    workers = child_pids(web.pid)

    # Warm: every thread opens its persistent connection, the public pages are cached.
    assert load(base, PUBLIC + LIVE) == []

    # 1. Restarted between two requests: the held connections are dead, nobody noticed yet.
    postgres.pg_stop()
    postgres.pg_start()
    assert load(base, PUBLIC + LIVE) == []

    # 2. Down for a while.
    postgres.pg_stop()
    status, body = get(base + "/healthz")
    assert status == 503
    checks = json.loads(body)["checks"]
    assert checks["database"]["ok"] is False
    assert checks["cache"]["ok"] and checks["broker"]["ok"]  # only the database is down
    status, body = get(base + f"/fr/incidents/{PAST_INCIDENT}/comments/")
    assert status == 500 and b"Traceback" not in body and b"psycopg" not in body
    for path in PUBLIC:  # rendered before the outage: readers still get them
        assert get(base + path)[0] == 200, path

    postgres.pg_start()
    wait_until(lambda: get(base + "/healthz")[0] == 200, 20, "the app to use the database again")
    assert load(base, PUBLIC + LIVE) == []

    # The same processes served everything: no restart of the app or of a worker.
    assert web.poll() is None
    assert child_pids(web.pid) == workers
    assert "Booting worker" in log.read_text() and log.read_text().count("Booting worker") == 2
