"""Notification tuning, read once from the environment; a Django setting of the same name wins
(tests override them with pytest-django's `settings` fixture).

A bad value stops start-up with ImproperlyConfigured naming the variable, like settings.py.
"""

from django.conf import settings

from outagedesk.env import env_int

DEFAULTS: dict[str, int] = {
    # Deliveries per `notifications.deliver_batch_task`.
    "NOTIFY_BATCH_SIZE": env_int("NOTIFY_BATCH_SIZE", 100, minimum=1),
    # Subscribers turned into Delivery rows per transaction of the fan-out.
    "NOTIFY_FANOUT_CHUNK": env_int("NOTIFY_FANOUT_CHUNK", 1000, minimum=1),
    # How long a claimed delivery belongs to its worker. Longer than any single send can take
    # (every channel's timeouts are far below it), so a live worker never loses its claim.
    "NOTIFY_LEASE_SECONDS": env_int("NOTIFY_LEASE_SECONDS", 300, minimum=1),
    # A pending delivery not picked up this long after it was due is re-enqueued by the sweep
    # (its task was lost with a killed worker whose broker message is not yet redelivered).
    "NOTIFY_SWEEP_GRACE_SECONDS": env_int("NOTIFY_SWEEP_GRACE_SECONDS", 300, minimum=0),
    # An update whose fan-out never started (the broker was down when it was published) is
    # fanned out by the sweep if it is younger than this (6 hours); older, it is news no more.
    "NOTIFY_UNSTARTED_MAX_AGE": env_int("NOTIFY_UNSTARTED_MAX_AGE", 6 * 3600, minimum=0),
    # A batch stops claiming new deliveries after this long and hands the rest to a new task,
    # well inside Celery's soft time limit (240 s).
    "NOTIFY_BATCH_TIME_BUDGET": env_int("NOTIFY_BATCH_TIME_BUDGET", 150, minimum=1),
    "NOTIFY_MAX_ATTEMPTS": env_int("NOTIFY_MAX_ATTEMPTS", 6, minimum=1),
    "NOTIFY_RETRY_BASE_SECONDS": env_int("NOTIFY_RETRY_BASE_SECONDS", 30, minimum=0),
    "NOTIFY_RETRY_MAX_SECONDS": env_int("NOTIFY_RETRY_MAX_SECONDS", 3600, minimum=0),
    # Failed attempts in a row after which a webhook is disabled and its owner told.
    "NOTIFY_WEBHOOK_MAX_FAILURES": env_int("NOTIFY_WEBHOOK_MAX_FAILURES", 10, minimum=1),
    "NOTIFY_HTTP_TIMEOUT": env_int("NOTIFY_HTTP_TIMEOUT", 10, minimum=1),
    # Confirmation links of the double opt-in expire after this long (3 days).
    "NOTIFY_CONFIRM_MAX_AGE": env_int("NOTIFY_CONFIRM_MAX_AGE", 3 * 24 * 3600, minimum=60),
    # How long a push service keeps a notification for a browser that is offline.
    "NOTIFY_PUSH_TTL": env_int("NOTIFY_PUSH_TTL", 12 * 3600, minimum=0),
    # Subscription forms: requests per client address and per email address.
    "NOTIFY_SUBSCRIBE_PER_ADDRESS": env_int("NOTIFY_SUBSCRIBE_PER_ADDRESS", 20, minimum=1),
    "NOTIFY_SUBSCRIBE_PER_EMAIL": env_int("NOTIFY_SUBSCRIBE_PER_EMAIL", 3, minimum=1),
    "NOTIFY_SUBSCRIBE_WINDOW": env_int("NOTIFY_SUBSCRIBE_WINDOW", 3600, minimum=1),
}


def conf(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])
