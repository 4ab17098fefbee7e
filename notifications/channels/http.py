"""The one place notification senders reach the network: `outagedesk.lib.fetch.safe_fetch`
(timeouts, size and redirect caps, private and loopback addresses refused unless
FETCH_ALLOW_PRIVATE). Imported when a send happens, so this app loads without it."""

import importlib
from dataclasses import dataclass, field

from notifications.channels.base import RetryableError


@dataclass
class HttpAnswer:
    status: int
    headers: dict = field(default_factory=dict)
    detail: str = ""


def _fetch_module():
    return importlib.import_module("outagedesk.lib.fetch")


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> HttpAnswer:
    """POST `body`; an HTTP answer of any status is returned, a failure to get one (refused
    address, timeout, connection error) raises RetryableError."""
    fetch = _fetch_module()
    try:
        result = fetch.safe_fetch(url, method="POST", headers=headers, data=body, timeout=timeout)
    except fetch.FetchHTTPError as exc:
        return HttpAnswer(status=int(exc.status), detail=str(exc)[:300])
    except fetch.FetchError as exc:
        raise RetryableError(f"{type(exc).__name__}: {exc}"[:500]) from exc
    return HttpAnswer(status=int(result.status), headers=dict(result.headers or {}))
