"""A source that hangs does not hold up the others.

Three ways a server can hang a client: accept the connection and never answer; answer the
headers and then drip the body a byte at a time; drip the headers themselves. The dripping
ones never trip a read timeout (each byte arrives in time), only the fetch's overall
deadline. While they hang, the gathering cycle stores every other demo source's evidence;
then it ends, each hanging source marked failing with a timeout reason and backed off."""

import contextlib
import socket
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from demo.seeding import seed_demo
from incidents.gathering import gather_cycle
from incidents.models import Evidence, Source
from tests.support.workers import wait_until

pytestmark = pytest.mark.slow


class HangingServer:
    """/silent: reads the request, never answers. /drip-body: headers, then a byte every
    0.2 s. /drip-headers: the status line, then a header a byte every 0.2 s."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open_connections = 0
        self.served: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self._connections.append(connection)
            threading.Thread(target=self._hang, args=(connection,), daemon=True).start()

    def _hang(self, connection: socket.socket) -> None:
        with self._lock:
            self.open_connections += 1
        try:
            path = connection.recv(65536).split(b" ", 2)[1].decode()
            self.served.append(path)
            if path.startswith("/drip-body"):
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[")
                self._drip(connection, b" ")
            elif path.startswith("/drip-headers"):
                connection.sendall(b"HTTP/1.1 200 OK\r\nX-Padding: ")
                self._drip(connection, b"a")
            else:
                while connection.recv(1024):  # until the client closes its end
                    pass
        except OSError:
            pass  # the client gave up: exactly what it should do
        finally:
            with self._lock:
                self.open_connections -= 1
            connection.close()

    def _drip(self, connection: socket.socket, byte: bytes) -> None:
        while not self._stop.wait(0.2):
            connection.sendall(byte)

    def stop(self) -> None:
        self._stop.set()
        self.listener.close()
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def hanging_server():
    server = HangingServer()
    yield server
    server.stop()


def test_hanging_sources_time_out_while_every_other_source_is_gathered(
    transactional_db, replay_server, hanging_server, allow_loopback_fetch
):
    seed_demo(replay_url=replay_server.url)
    healthy = list(Source.objects.filter(is_enabled=True).exclude(kind="reader"))
    assert len(healthy) >= 6  # the demo's polled sources
    hanging = {
        # The default timeouts (3.05 s to connect, 10 s per read): the silent server is given
        # up after its 10 s read timeout.
        "silent": Source.objects.create(
            service=healthy[0].service, name="Silent monitor", kind="statuspage",
            url=hanging_server.url("/silent"), tier="established", owner="silent",
        ),
        # A read timeout of 1 s, never tripped by a byte every 0.2 s: the overall deadline
        # (connect + 2 × read = 3 s) ends them.
        "drip-body": Source.objects.create(
            service=healthy[0].service, name="Dripping feed", kind="mastodon",
            url=hanging_server.url("/drip-body"), tier="community", owner="drip-body",
            config={"timeout": [1, 1]},
        ),
        "drip-headers": Source.objects.create(
            service=healthy[0].service, name="Dripping headers", kind="bluesky",
            url=hanging_server.url("/drip-headers"), tier="community", owner="drip-headers",
            config={"timeout": [1, 1]},
        ),
    }  # fmt: skip

    started = timezone.now()
    result: dict[str, Any] = {}
    cycle = threading.Thread(
        target=lambda: result.setdefault("report", gather_cycle(now=started, max_workers=16)),
        daemon=True,
    )
    cycle.start()

    # While the three hang, every other source is gathered.
    def others_done() -> bool:
        return Source.objects.filter(
            pk__in=[s.pk for s in healthy], last_success_at__isnull=False
        ).count() == len(healthy)

    wait_until(others_done, 30, "the healthy sources to be gathered")
    assert cycle.is_alive() and hanging_server.open_connections == 3

    # Then the cycle ends: nothing hangs for longer than its fetch may last (well inside the
    # task's time limit of 240 s).
    cycle.join(timeout=45)
    assert not cycle.is_alive(), "the gathering cycle is still waiting on a hanging source"

    report = result["report"]
    assert len(report.outcomes) == len(healthy) + 3
    assert report.count("failed") == 3

    for source in healthy:
        source.refresh_from_db()
        assert source.consecutive_failures == 0, (source.name, source.last_error)
        assert Evidence.objects.filter(source=source).exists(), source.name

    reasons = {
        "silent": "did not answer within 13.05s",
        "drip-body": "did not arrive in full within 3s",
        "drip-headers": "did not arrive in full within 3s",
    }
    for key, source in hanging.items():
        source.refresh_from_db()
        assert reasons[key] in source.last_error, (key, source.last_error)
        assert source.is_failing and source.consecutive_failures == 1
        assert source.lease_until is None
        assert source.next_poll_at is not None
        assert source.next_poll_at >= started + timedelta(seconds=source.poll_interval_seconds)
        assert not Evidence.objects.filter(source=source).exists()
    assert sorted(p.split("?")[0] for p in hanging_server.served) == [
        "/drip-body",
        "/drip-headers",
        "/silent",
    ]
    wait_until(lambda: hanging_server.open_connections == 0, 5, "the connections to be closed")
