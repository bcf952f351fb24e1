"""A fixed-window counter per IP address in the cache (Redis in production),
so every web process shares it."""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache


def hit_allowed(*, key: str, limit: int, window: int = 60) -> bool:
    bucket = f"rl:{key}:{int(time.time() // window)}"
    cache.add(bucket, 0, timeout=window + 5)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window + 5)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    """The learner's address as allauth's login limits see it, so a proxy in
    front (TRUSTED_PROXY_COUNT) is handled once for every limit."""
    return get_adapter(request).get_client_ip(request)
