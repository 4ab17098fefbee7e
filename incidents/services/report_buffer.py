"""A list in Redis where reader reports wait for the worker to store them (production only).

Why: during a crisis thousands of readers press "it's down for me" within minutes. Written to
the database by the request, each report costs an insert, an upsert of the same few counter
rows as every other report, and a commit; on two cores serving readers at the same time the
web processes stored about 160 a second and reports waited behind each other for up to two
seconds. Pushed here, a report costs the request one Redis round trip, and the worker stores
hundreds at a time in one transaction.

What keeps it safe: an entry leaves the list only once its batch is committed (a worker killed
in between leaves the batch to the next flush, and the unique dedup key stores each report
once); one flush at a time (a lock with an expiry, so a dead worker does not hold it); without
Redis, or when a push fails, the caller stores the report at once instead. Redis must keep
what it is given: `maxmemory-policy noeviction` (its default), as for the Celery queue.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from django.conf import settings
from redis.exceptions import LockError, RedisError

logger = logging.getLogger(__name__)

WAITING_KEY = "od:reader-reports:waiting"
LOCK_KEY = "od:reader-reports:storing"
# Longer than any flush runs (tasks.py stops one after 40 s), so it expires only after a crash.
LOCK_SECONDS = 120

_clients: dict[str, redis.Redis] = {}


def _client() -> redis.Redis | None:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    client = _clients.get(url)
    if client is None:
        # Thread-safe: each command borrows a connection from the client's pool.
        client = _clients.setdefault(
            url, redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        )
    return client


def buffer_push(entry: str) -> int | None:
    """Append `entry`; return how many entries wait now (1: the list was empty), or None when
    there is no Redis or it cannot be reached (the caller stores the entry itself)."""
    client = _client()
    if client is None:
        return None
    try:
        return int(client.rpush(WAITING_KEY, entry))
    except (RedisError, OSError) as exc:
        logger.warning("reader report not queued in Redis, stored by the request: %s", exc)
        return None


def buffer_peek(count: int) -> list[str]:
    """The `count` oldest entries, left in the list."""
    client = _client()
    if client is None:
        return []
    entries = client.lrange(WAITING_KEY, 0, count - 1)
    return [raw.decode() if isinstance(raw, bytes) else str(raw) for raw in entries]


def buffer_drop(count: int) -> None:
    """Remove the `count` oldest entries (those a flush has just stored)."""
    client = _client()
    if client is not None:
        client.ltrim(WAITING_KEY, count, -1)


def buffer_waiting() -> int:
    client = _client()
    return int(client.llen(WAITING_KEY)) if client is not None else 0


@contextmanager
def buffer_exclusive() -> Iterator[bool]:
    """Hold the flush lock while the block runs; yields False (and holds nothing) when another
    flush holds it or there is no Redis."""
    client = _client()
    if client is None:
        yield False
        return
    lock = client.lock(LOCK_KEY, timeout=LOCK_SECONDS, blocking=False)
    if not lock.acquire():
        yield False
        return
    try:
        yield True
    finally:
        try:
            lock.release()
        except LockError:  # expired: a flush ran far longer than it may; the next one goes on
            logger.warning("reader reports: the flush lock expired before its release")
