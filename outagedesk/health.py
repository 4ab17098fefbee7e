"""Liveness checks: the database, the cache and the broker, each reported on its own."""

import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        detail = check()
    except Exception as exc:  # any failure is the answer, not a crash of the health check
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache():
    if hasattr(cache, "strict_ping"):
        cache.strict_ping()  # the resilient cache hides failures from pages, not from us
    key = "healthz:probe"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("value written was not read back")
    return str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]


def check_broker():
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        return "redis"
    folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
    folder.mkdir(parents=True, exist_ok=True)
    # One probe file per process and thread: probes running at once (a load balancer checking
    # every worker) must not delete each other's file and report the broker down.
    probe = folder / f".healthz-{os.getpid()}-{threading.get_ident()}"
    probe.write_text("ok")
    probe.unlink()
    return "filesystem"


def health_report() -> dict:
    checks = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "broker": _timed(check_broker),
    }
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
