"""The first README command's mode, for real: `manage.py run_embedded` starts the web server, a
Celery worker and beat on SQLite and the filesystem broker; the worker gathers evidence from the
local fixture replay into the database; Ctrl-C stops everything."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def _count(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_embedded_mode_runs_web_worker_and_beat_and_stops_on_ctrl_c(tmp_path):
    port, replay_port = free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "OUTAGEDESK_TESTING"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "outagedesk.settings",
            "OUTAGEDESK_VAR_DIR": str(tmp_path),
            "OUTAGEDESK_DEMO_PASSWORD": "demo-password-for-test",
            "OUTAGEDESK_EMBEDDED": "1",
        }
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_embedded", "--port", str(port),
         "--replay-port", str(replay_port), "--web-workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    db = tmp_path / "outagedesk.sqlite3"
    try:
        wait_for_port(port, timeout=90)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            health = json.load(response)
        assert health["ok"], health
        assert health["checks"]["database"]["detail"] == "sqlite"
        assert health["checks"]["broker"]["detail"] == "filesystem"

        # Beat ticks, the worker runs the gather jobs, evidence from the replay lands in SQLite.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _count(db, "incidents_evidence") == 0:
            time.sleep(1)
        assert _count(db, "incidents_evidence") > 0, "the worker gathered no evidence"
        assert _count(db, "outagedesk_scheduledjob") > 0
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
    assert process.returncode == 0, output[-3000:]
    assert "Stopped." in output
    # Nothing keeps listening after Ctrl-C.
    with pytest.raises(OSError):
        wait_for_port(port, timeout=1)
