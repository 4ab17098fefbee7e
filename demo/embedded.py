"""What `manage.py run_embedded` decides before it starts anything: where the web server and the
fixture replay listen, and the environment its child processes (web, worker, beat) get."""

import errno
import socket
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError

from outagedesk.lib.replay_server import ReplayServer, Route


def _in_use(exc: OSError) -> bool:
    return exc.errno == errno.EADDRINUSE


def web_port_reserve(host: str, port: int) -> socket.socket:
    """A socket bound to the web address and handed to gunicorn by descriptor (gunicorn makes it
    listen once the app is ready): a taken port is reported before anything starts, and nothing
    can take the port in between."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # As gunicorn does: a port left in TIME_WAIT by the last run is free to take again.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if _in_use(exc):
            raise CommandError(
                f"Port {port} on {host} is already in use (another OutageDesk?): "
                "stop it or choose another with --port."
            ) from None
        raise CommandError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
    return sock


def replay_start(root: Path, port: int, routes: Mapping[str, Route] | None = None) -> ReplayServer:
    """The fixture replay, on `port`, or on a free port when it is 0 (the default), so a second
    copy running on the same machine does not collide with the first. `routes` answer by the
    time (the demo story) before the recorded files of the same name."""
    try:
        return ReplayServer(root, port=port, routes=routes).start()
    except OSError as exc:
        if _in_use(exc):
            raise CommandError(
                f"Replay port {port} is already in use: leave --replay-port and "
                "FIXTURE_REPLAY_PORT unset to take a free port, or choose another."
            ) from None
        raise CommandError(f"Cannot start the fixture replay: {exc.strerror or exc}.") from None


def child_environment(
    environ: Mapping[str, str], *, replay_url: str, host: str, port: int
) -> dict[str, str]:
    """The environment of web, worker and beat: this one, plus what the embedded mode sets."""
    replay_host = urlsplit(replay_url).netloc
    # The local replay gets past the fetch wrapper's refusal of loopback addresses; hosts the
    # environment already allowed (an internal status page, say) stay allowed.
    allowed = [h for h in settings.FETCH_ALLOWED_HOSTS if h != replay_host] + [replay_host]
    return {
        **environ,
        "SECRET_KEY": settings.SECRET_KEY,
        "FIXTURE_REPLAY_URL": replay_url,
        "FETCH_ALLOWED_HOSTS": ",".join(allowed),
        "SITE_URL": environ.get("SITE_URL") or f"http://{host}:{port}",
        "ALLOWED_HOSTS": environ.get("ALLOWED_HOSTS") or f"{host},localhost,127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }
