"""Webhooks: the update as JSON, signed with the subscription's secret.

Receivers check `X-OutageDesk-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with their
secret, and `X-OutageDesk-Timestamp` (also inside the signed body) to refuse replays; the
format is documented in README.md (Webhooks).
"""

import hashlib
import hmac
import json
import time

from notifications.channels import http
from notifications.channels.base import EndpointGone, error_for_status
from notifications.conf import conf
from notifications.messages import UpdateMessage

USER_AGENT = "OutageDesk-Webhook/1"
SIGNATURE_HEADER = "X-OutageDesk-Signature"
TIMESTAMP_HEADER = "X-OutageDesk-Timestamp"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed_request(
    subscriber, payload: dict, *, timestamp: int, delivery_id: int | None, event: str
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-OutageDesk-Event": event,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(subscriber.secret, body),
    }
    if delivery_id is not None:
        # Receivers that must never act twice keep the ids they have seen.
        headers["X-OutageDesk-Delivery"] = str(delivery_id)
    return body, headers


def send_update(content: UpdateMessage, subscriber, delivery_id: int) -> None:
    timestamp = int(time.time())
    payload = content.webhook_payload(subscriber, delivery_id=delivery_id, timestamp=timestamp)
    body, headers = signed_request(
        subscriber, payload, timestamp=timestamp, delivery_id=delivery_id, event="incident.update"
    )
    answer = http.post(
        subscriber.webhook_url, body=body, headers=headers, timeout=conf("NOTIFY_HTTP_TIMEOUT")
    )
    if 200 <= answer.status < 300:
        return
    if answer.status == 410:
        raise EndpointGone("the receiver answered 410 Gone", status=410)
    raise error_for_status(answer.status, answer.detail)
