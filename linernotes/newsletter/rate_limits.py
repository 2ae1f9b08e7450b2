"""Signup rate limits in Django's cache: per client address and per email address.

With the Redis cache (REDIS_URL) the counters are shared by every process; with the default
memory cache each process counts on its own.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 3600


def _count(key: str) -> int:
    """Add one to the counter ``key``, which starts when first used and lasts one window."""
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        # The counter expired between add() and incr(): this request starts a new window.
        cache.add(key, 1, WINDOW_SECONDS)
        return 1


def client_address(request: HttpRequest) -> str:
    """The reader's IP address: REMOTE_ADDR, or the last hop of a header a trusted proxy sets."""
    header = settings.LINERNOTES_NEWSLETTER_CLIENT_IP_HEADER
    if header:
        forwarded = request.headers.get(header, "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def allow_attempt_from(address: str) -> bool:
    limit = settings.LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP
    return _count(f"newsletter:signup:ip:{address}") <= limit


def allow_attempt_for(email: str) -> bool:
    # Hashed, so the cache never holds the addresses themselves.
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    limit = settings.LINERNOTES_NEWSLETTER_SIGNUPS_PER_ADDRESS
    return _count(f"newsletter:signup:email:{digest}") <= limit
