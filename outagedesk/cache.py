"""A Redis cache that degrades instead of failing.

On the day of an outage Redis may be the thing that falls over. Pages must still be served: a
cache read that cannot reach Redis is a miss, a write is dropped, and the error is logged once
in a while instead of turning every reader's request into a 500. The health check reads the
cache through `strict_ping` so a Redis outage is still reported."""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.commands.core import Script
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError, ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
# Unreachable, or reachable but refusing writes (full under `noeviction`, a read-only replica
# after a failover): either way a page that only wanted to keep a copy is served without it.
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OutOfMemoryError, ReadOnlyError, OSError)
_LOG_EVERY_SECONDS = 30
# One hit on a rate-limit counter, atomically: a new counter gets its window as expiry, an
# existing one keeps the expiry it has. (Separate commands could leave a counter that never
# expires, if it expired between a failed "create" and the increment.)
_COUNT_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` object for every cache call, and each one
    copies its table of a few hundred response callbacks: a measurable share of a cheap
    request. A `redis.Redis` on a connection pool is safe to share between threads (each
    command borrows a connection from the pool), so one is kept per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        # Django's private helpers, which its get_client uses too (absent from the stubs).
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            fresh = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            client = self._clients.setdefault(id(pool), fresh)
        return client


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._count_hit_scripts: dict[int, Script] = {}  # per client: the script, loaded once

    def _degraded(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged > _LOG_EVERY_SECONDS:
            ResilientRedisCache._last_logged = now
            logger.warning("cache unreachable during %s, serving without it: %s", operation, exc)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _UNREACHABLE as exc:
            self._degraded("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _UNREACHABLE as exc:
            self._degraded("get_many", exc)
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except _UNREACHABLE as exc:
            self._degraded("set", exc)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except _UNREACHABLE as exc:
            self._degraded("set_many", exc)
            return list(data)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except _UNREACHABLE as exc:
            self._degraded("add", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except _UNREACHABLE as exc:
            self._degraded("incr", exc)
            return 0

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except _UNREACHABLE as exc:
            self._degraded("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except _UNREACHABLE as exc:
            self._degraded("delete_many", exc)

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except _UNREACHABLE as exc:
            self._degraded("has_key", exc)
            return False

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except _UNREACHABLE as exc:
            self._degraded("touch", exc)
            return False

    def count_hit(self, key, window_seconds: int, version=None) -> int:
        """Count one hit on the counter `key` and return its count in the current window, in
        one round trip (Django's add-then-incr takes two or three: each one a wait for the
        request, which adds up on the busiest forms of a crisis). 0 when Redis is unreachable,
        as `add` and `incr` degrade. The counter reads back with `get` like any other."""
        full_key = self.make_and_validate_key(key, version=version)
        try:
            client = self._cache.get_client(full_key, write=True)
            script = self._count_hit_scripts.get(id(client))
            if script is None:
                script = self._count_hit_scripts.setdefault(
                    id(client), client.register_script(_COUNT_HIT)
                )
            return int(script(keys=[full_key], args=[int(window_seconds)]))
        except _UNREACHABLE as exc:
            self._degraded("count_hit", exc)
            return 0

    def strict_ping(self) -> None:
        """Raise when Redis is unreachable (the health check must see it)."""
        self._cache.get_client(write=True).ping()
