"""The newsroom's "try it yourself", done by a worker: an HTTP request to the service's own
endpoint (status, latency) and a DNS resolution of its host names.

A probe whose target does not answer has not failed as a source: the failure IS the evidence.
Only a probe that cannot run as configured (a refused address, no target) marks the source as
failing. Results are stored when they change, while they are bad, and once an hour otherwise,
so a healthy service does not fill the evidence inbox.

Config: `hosts` (names to resolve), `dns_timeout` (seconds, default 3), `expect_status` (list,
default any 2xx/3xx).
"""

from __future__ import annotations

import queue
import socket
import threading
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from incidents.collectors.base import (
    CollectContext,
    CollectedItem,
    CollectorOff,
    list_in,
    short_key,
)
from incidents.models import Evidence
from outagedesk.lib.fetch import (
    FetchBlockedAddress,
    FetchError,
    FetchHTTPError,
    FetchTimeout,
    FetchTooLarge,
    safe_fetch,
)

HEARTBEAT = timedelta(hours=1)
MAX_HOSTS = 10


def _resolve(host: str, timeout: float) -> tuple[list[str], str, float]:
    """(addresses, error, milliseconds). getaddrinfo cannot be cancelled, so it runs in a
    daemon thread that is simply abandoned after `timeout`."""
    answers: queue.Queue = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            answers.put((sorted({info[4][0] for info in infos}), ""))
        except OSError as exc:
            answers.put(([], getattr(exc, "strerror", None) or str(exc)))

    started = time.monotonic()
    threading.Thread(target=work, daemon=True, name=f"dns-{host}").start()
    try:
        addresses, error = answers.get(timeout=timeout)
    except queue.Empty:
        addresses, error = [], _("no answer within %(seconds)ss") % {"seconds": f"{timeout:g}"}
    return addresses, error, (time.monotonic() - started) * 1000


def _last_states(ctx: CollectContext) -> dict[str, tuple[str, object]]:
    """Latest stored (state, observed_at) per probe target of this source."""
    latest: dict[str, tuple[str, object]] = {}
    if ctx.source.pk is None:
        return latest  # a trial run ("Test now") of a source not saved yet has no history
    rows = (
        Evidence.objects.filter(source=ctx.source, observed_at__gte=ctx.now - 2 * HEARTBEAT)
        .order_by("-observed_at", "-id")
        .values_list("raw", "status_text", "observed_at")[:200]
    )
    for raw, state, observed in rows:
        target = raw.get("target") if isinstance(raw, dict) else None
        if isinstance(target, str) and target not in latest:
            latest[target] = (state, observed)
    return latest


def _keep(item: CollectedItem, previous: dict, now) -> bool:
    state, observed = previous.get(item.raw["target"], (None, None))
    return item.status_text != "up" or state != item.status_text or observed < now - HEARTBEAT


def _http_item(ctx: CollectContext, url: str) -> CollectedItem:
    expected = ctx.config.get("expect_status")
    started = time.monotonic()
    status_code = None
    try:
        result = safe_fetch(
            url,
            headers={"Accept": "text/html,*/*;q=0.5"},
            timeout=ctx.timeout(),
            max_bytes=ctx.max_bytes(2_000_000),
        )
        status_code = result.status
        elapsed = result.elapsed
        ok = status_code in expected if isinstance(expected, list) else status_code < 400
        detail = f"HTTP {status_code}"
    except FetchBlockedAddress:
        raise  # a configuration problem, not the service being down
    except FetchTooLarge:
        elapsed, ok, detail = time.monotonic() - started, True, _("answered (large page)")
    except FetchHTTPError as exc:
        status_code = exc.status
        elapsed = time.monotonic() - started
        ok = isinstance(expected, list) and exc.status in expected
        detail = str(exc)
    except FetchTimeout as exc:
        elapsed, ok, detail = time.monotonic() - started, False, str(exc)
    except FetchError as exc:
        elapsed, ok, detail = time.monotonic() - started, False, str(exc)
    state = "up" if ok else "down"
    label = _("%(url)s is reachable") if ok else _("%(url)s does not answer correctly")
    return CollectedItem(
        dedup_key=short_key("http", url, f"{ctx.now:%Y%m%dT%H%M}"),
        signal_kind=Evidence.SignalKind.PROBE,
        url=url,
        title=label % {"url": urlsplit(url).netloc},
        text=_("%(detail)s in %(ms)s ms") % {"detail": detail, "ms": f"{elapsed * 1000:.0f}"},
        published_at=ctx.now,
        status_text=state,
        signal_value=round(elapsed * 1000, 1),
        raw={"target": f"http:{url}", "check": "http", "status": status_code},
    )


def _dns_item(ctx: CollectContext, host: str) -> CollectedItem:
    try:
        timeout = min(max(float(ctx.config.get("dns_timeout", 3)), 0.1), 10.0)
    except (TypeError, ValueError):
        timeout = 3.0
    addresses, error, ms = _resolve(host, timeout)
    ok = bool(addresses) and not error
    if ok:
        title = _("%(host)s resolves") % {"host": host}
        text = ngettext(
            "%(count)s address in %(ms)s ms: %(addresses)s",
            "%(count)s addresses in %(ms)s ms: %(addresses)s",
            len(addresses),
        ) % {
            "count": len(addresses),
            "ms": f"{ms:.0f}",
            "addresses": ", ".join(addresses[:5]),
        }
    else:
        title = _("%(host)s does not resolve") % {"host": host}
        text = error
    return CollectedItem(
        dedup_key=short_key("dns", host, f"{ctx.now:%Y%m%dT%H%M}"),
        signal_kind=Evidence.SignalKind.PROBE,
        title=title,
        text=text,
        published_at=ctx.now,
        status_text="up" if ok else "down",
        signal_value=round(ms, 1),
        raw={"target": f"dns:{host}", "check": "dns", "addresses": addresses[:5]},
    )


def collect(ctx: CollectContext) -> list[CollectedItem]:
    hosts = list_in(ctx.config, "hosts")
    hosts = [h.strip() for h in hosts if isinstance(h, str) and h.strip()][:MAX_HOSTS]
    if not ctx.source.url and not hosts:
        raise CollectorOff(_("off: the probe has no URL and no host names to check"))
    items = []
    if ctx.source.url:
        items.append(_http_item(ctx, ctx.source.url))
    items.extend(_dns_item(ctx, host) for host in hosts)
    previous = _last_states(ctx)
    return [item for item in items if _keep(item, previous, ctx.now)]
