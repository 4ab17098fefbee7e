"""Web Push: the payload is encrypted for the browser (RFC 8291, aes128gcm) and authorised with
the site's VAPID key (RFC 8292) by pywebpush; the request itself goes through safe_fetch like
every outbound request."""

import base64
import binascii
import time
from functools import lru_cache
from urllib.parse import urlparse

from django.conf import settings

from notifications.channels import http
from notifications.channels.base import (
    EndpointGone,
    PermanentError,
    error_for_status,
)
from notifications.conf import conf
from notifications.messages import UpdateMessage

MAX_ENDPOINT_LENGTH = 500


class InvalidPushSubscription(ValueError):
    pass


def push_enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def _b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def clean_subscription(data: object) -> dict:
    """The browser's PushSubscription JSON, checked and reduced to what sending needs."""
    if not isinstance(data, dict):
        raise InvalidPushSubscription("not an object")
    endpoint = data.get("endpoint")
    keys = data.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, dict):
        raise InvalidPushSubscription("endpoint and keys are required")
    parsed = urlparse(endpoint)
    allowed_schemes = {"https"} | ({"http"} if settings.FETCH_ALLOW_PRIVATE else set())
    if (
        len(endpoint) > MAX_ENDPOINT_LENGTH
        or parsed.scheme not in allowed_schemes
        or not parsed.hostname
        or any(c.isspace() for c in endpoint)
    ):
        raise InvalidPushSubscription("the endpoint must be an https URL")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not isinstance(auth, str):
        raise InvalidPushSubscription("keys.p256dh and keys.auth are required")
    try:
        public_key, auth_secret = _b64url_decode(p256dh), _b64url_decode(auth)
    except (binascii.Error, ValueError):
        raise InvalidPushSubscription("keys are not base64url") from None
    # An uncompressed P-256 point and a 16-byte secret, as browsers create them.
    if len(public_key) != 65 or public_key[0] != 4 or len(auth_secret) != 16:
        raise InvalidPushSubscription("keys have the wrong size")
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


class _SafeFetchSession:
    """What pywebpush expects of a requests session, sending through safe_fetch."""

    class Answer:
        def __init__(self, answer: http.HttpAnswer):
            self.status_code = answer.status
            self.headers = answer.headers
            self.text = answer.detail
            self.reason = answer.detail

    def post(self, url, *, data=None, headers=None, timeout=None):
        body = data or b""
        return self.Answer(http.post(url, body=body, headers=dict(headers or {}), timeout=timeout))


@lru_cache(maxsize=4)
def _vapid(private_key: str):
    from py_vapid import Vapid

    return Vapid.from_string(private_key=private_key)


def vapid_headers(endpoint: str) -> dict[str, str]:
    parsed = urlparse(endpoint)
    subject = settings.VAPID_CLAIMS_EMAIL
    if not subject.startswith(("mailto:", "https:")):
        subject = f"mailto:{subject}"
    claims = {
        "sub": subject,
        "aud": f"{parsed.scheme}://{parsed.netloc}",
        "exp": int(time.time()) + 12 * 3600,
    }
    return _vapid(settings.VAPID_PRIVATE_KEY).sign(claims)


def send_update(content: UpdateMessage, subscriber) -> None:
    # Imported here: pywebpush pulls in aiohttp and requests, which the web process never needs.
    from pywebpush import WebPusher, WebPushException

    if not push_enabled():
        raise PermanentError("web push is not configured (VAPID keys missing)")
    subscription = subscriber.push_subscription
    try:
        pusher = WebPusher(subscription, requests_session=_SafeFetchSession())
        answer = pusher.send(
            content.push_payload(subscriber),
            vapid_headers(subscription["endpoint"]),
            ttl=conf("NOTIFY_PUSH_TTL"),
            content_encoding="aes128gcm",
            timeout=conf("NOTIFY_HTTP_TIMEOUT"),
        )
    except (WebPushException, KeyError, ValueError, TypeError) as exc:
        raise PermanentError(f"push subscription unusable: {exc}"[:500]) from exc
    status = answer.status_code
    if 200 <= status < 300:
        return
    if status in (404, 410):
        raise EndpointGone(
            f"the push service answered {status}: subscription expired", status=status
        )
    raise error_for_status(status, answer.text)
