"""Helpers of the access tests: origins, a browser's push subscription, row counts, and one
request rolled back so every user meets the same objects."""

from base64 import urlsafe_b64encode
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction

SITE = "http://testserver"  # the Django test client's own origin
EVIL = "https://evil.example"


PUSH_ENDPOINT = "https://push.example.net/send/abc123"


def push_subscription(endpoint: str = PUSH_ENDPOINT) -> dict:
    """A PushSubscription as a browser sends it (an uncompressed P-256 point, a 16-byte secret)."""
    return {
        "endpoint": endpoint,
        "keys": {
            "p256dh": urlsafe_b64encode(b"\x04" + b"k" * 64).decode().rstrip("="),
            "auth": urlsafe_b64encode(b"a" * 16).decode().rstrip("="),
        },
    }


def row_counts() -> dict[str, int]:
    """Rows per model: a denied request must leave every table as it was."""
    counts = {}
    for model in apps.get_models():
        if model._meta.label in ("sessions.Session",):
            continue
        counts[model._meta.label] = model._default_manager.count()
    return counts


@contextmanager
def rolled_back():
    """Run one request inside a savepoint that is rolled back, so each user meets the same
    objects whatever the previous user's request changed."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
