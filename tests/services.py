"""Real Redis and PostgreSQL servers for tests, started on loopback in a temporary folder.

A missing binary means a skip with the reason (a failure in CI, see conftest.py)."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REQUIRE_SERVICES = os.environ.get("OUTAGEDESK_REQUIRE_SERVICES") == "1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def need_binary(name: str, package: str) -> str:
    path = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None
    )
    if not path:
        pytest.skip(f"{name} not found: install Debian's {package} (apt-get install {package})")
    return path


class RedisServer:
    def __init__(self, workdir: Path):
        self.binary = need_binary("redis-server", "redis-server")
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class PostgresServer:
    """A throwaway cluster. PostgreSQL refuses to run as root, so as root it runs as `postgres`."""

    def __init__(self, workdir: Path):
        self.initdb = need_binary("initdb", "postgresql")
        self.pg_ctl = need_binary("pg_ctl", "postgresql")
        self.port = free_port()
        self.own_workdir = os.geteuid() == 0
        if self.own_workdir:
            # pytest's temporary folders are private to root (mode 700): `postgres` could not
            # reach a cluster there, so it gets a folder of its own, removed by stop().
            workdir = Path(tempfile.mkdtemp(prefix="outagedesk-pg-"))
        self.datadir = workdir / "pgdata"
        self.workdir = workdir

    @property
    def url(self) -> str:
        return f"postgresql://outagedesk@127.0.0.1:{self.port}/outagedesk"

    def _run(self, *args: str) -> None:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> "PostgresServer":
        self.workdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres")
        if not self.datadir.exists():
            self._run(self.initdb, "-D", str(self.datadir), "-U", "outagedesk",
                      "--auth=trust", "-E", "UTF8")  # fmt: skip
        self.pg_start()
        psql = need_binary("psql", "postgresql-client")
        subprocess.run(
            [psql, "-h", "127.0.0.1", "-p", str(self.port), "-U", "outagedesk", "-d", "postgres",
             "-c", "CREATE DATABASE outagedesk"],
            capture_output=True, timeout=30,
        )  # fmt: skip
        return self

    def pg_start(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.datadir), "-w", "-l", str(self.workdir / "pg.log"),
                  "-o", f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1", "start")  # fmt: skip
        wait_for_port(self.port)

    def pg_stop(self, mode: str = "fast") -> None:
        self._run(self.pg_ctl, "-D", str(self.datadir), "-m", mode, "-w", "stop")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg_stop()
        if self.own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
