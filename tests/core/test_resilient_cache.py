"""With Redis down, pages keep being served: the cache degrades to misses, the health check
still reports the cache as down."""

import pytest
import redis
from django.core.cache import cache

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
