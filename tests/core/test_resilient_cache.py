"""With Redis down, pages keep being served: the cache degrades to misses, the health check
still reports the cache as down."""

import pytest
import redis
from django.core.cache import cache

from outagedesk.ratelimit import rate_limited
from tests.services import free_port


@pytest.fixture
def redis_cache(settings, redis_server):
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "outagedesk.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    return redis_server


@pytest.mark.redis
def test_cache_works_then_degrades_to_misses_when_redis_stops(redis_cache):
    cache.set("greeting", "bonjour", 60)
    assert cache.get("greeting") == "bonjour"
    assert cache.add("once", 1, 60) is True and cache.incr("once") == 2
    redis_cache.stop()
    assert cache.get("greeting", "miss") == "miss"
    cache.set("greeting", "hello", 60)  # dropped, no exception
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("other", 1, 60) is False


@pytest.mark.redis
def test_a_full_redis_drops_writes_and_keeps_serving_reads(redis_cache):
    cache.set("greeting", "bonjour", 60)
    # Full, and the default policy evicts nothing: Redis refuses every write with OOM.
    redis.Redis.from_url(redis_cache.url).config_set("maxmemory", "1")
    cache.set("greeting", "hello", 60)  # refused, dropped, no exception
    assert cache.add("other", 1, 60) is False
    assert cache.get("greeting") == "bonjour"


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reports_the_cache_down_while_pages_are_served(client, redis_cache, settings):
    assert client.get("/healthz").status_code == 200
    redis_cache.stop()
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.redis
def test_rate_limit_counters_count_in_one_window_that_expires(redis_cache):
    # A reader's third comment in the window is over a limit of two; another reader is not.
    assert [rate_limited("comment:addr:a", limit=2, window_seconds=60) for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert rate_limited("comment:addr:b", limit=2, window_seconds=60) is False
    assert cache.get("rl:comment:addr:a") == 3  # readable like any cached count
    raw = redis.Redis.from_url(redis_cache.url)
    (key,) = raw.keys("*rl:comment:addr:a")
    assert 0 < raw.ttl(key) <= 60  # the window was set once, by the first hit
    raw.expire(key, 1)
    rate_limited("comment:addr:a", limit=2, window_seconds=60)
    assert raw.ttl(key) <= 1  # later hits keep the window they are in

    # Scripts are forgotten by a restarted Redis; the counter loads its script again.
    raw.script_flush()
    assert rate_limited("comment:addr:c", limit=2, window_seconds=60) is False

    redis_cache.stop()
    assert rate_limited("comment:addr:a", limit=2, window_seconds=60) is False  # not a 500
