"""Rate limits over the shared cache (settings: ``CACHES``): how many times something may happen per
key within a window, counted alike by every web process.

Windows are fixed and aligned to the clock (10 minutes: :00–:10, :10–:20, …): simple, and a burst
across a window's edge can at most double the limit, which is enough for forms a person fills in
by hand.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def rate_limit_exceeded(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more attempt under ``key``; True once the attempts in this window exceed ``limit``
    (the attempt that exceeds counts too)."""
    now = time.time()
    window = int(now // seconds)
    left = int(seconds - now % seconds) + 1  # the count lives until its window ends
    cache_key = f"ratelimit:{key}:{window}"
    if cache.add(cache_key, 1, timeout=left):
        return limit < 1
    try:
        count = cache.incr(cache_key)  # atomic in Redis; a read and a write in the database cache
    except ValueError:  # the window ended between add and incr: this attempt opens the next one
        return rate_limit_exceeded(key, limit=limit, seconds=seconds)
    # The database cache writes an incremented value back with the default timeout: keep the window's.
    cache.touch(cache_key, timeout=left)
    return count > limit


def rate_limits_exceeded(keys: list[tuple[str, int]], *, seconds: int) -> bool:
    """Count one attempt under every ``(key, limit)``; True when any of them is over its limit."""
    over = [rate_limit_exceeded(key, limit=limit, seconds=seconds) for key, limit in keys]
    return any(over)
