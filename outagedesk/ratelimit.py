"""Fixed-window counters in the cache, shared by every rate-limited form and endpoint."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The reader's address. Behind the shipped nginx, X-Forwarded-For's last hop is the client
    as nginx saw it; elsewhere REMOTE_ADDR is all we trust."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hash_identifier(value: str) -> str:
    """Salted SHA-256 so addresses and emails can be compared without being kept in clear."""
    salted = f"{settings.SECRET_KEY}:{value.strip().lower()}"
    return hashlib.sha256(salted.encode()).hexdigest()


def rate_limit_hit(key: str, window_seconds: int) -> int:
    """Count one hit in the current window and return the count so far."""
    full_key = f"rl:{key}"
    count_hit = getattr(cache, "count_hit", None)
    if count_hit is not None:  # Redis (outagedesk.cache): one atomic round trip
        return count_hit(full_key, window_seconds)
    if cache.add(full_key, 1, window_seconds):
        return 1
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, window_seconds)
        return 1


def rate_limited(key: str, *, limit: int, window_seconds: int) -> bool:
    """Record a hit and say whether it goes over `limit` in the window."""
    return rate_limit_hit(key, window_seconds) > limit
