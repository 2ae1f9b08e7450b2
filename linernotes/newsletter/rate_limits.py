"""Signup rate limits per client address and per email address, counted in the database.

Every web process shares the counters, whatever the cache: Django's default memory cache is
per process, so with two workers each would let the whole limit through. Redis gets no path of
its own: an attempt costs a read and one small UPDATE next to the signup's own writes, and one
path behaves the same on every set-up.

A counter covers a fixed window that starts with its first attempt. An attempt passes by
adding one with a conditional UPDATE (``count < limit``), which the database applies to one
process at a time, so two processes cannot both take the last place. Attempts over the limit
only read. Counters are named by a keyed hash of what they count, never the address itself;
starting a window deletes the counters whose window has ended.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from linernotes.newsletter.models import RateLimitCounter

WINDOW_SECONDS = 3600


def _allow(kind: str, value: str, limit: int) -> bool:
    """Count one attempt at ``value``; False when this window's ``limit`` is used up."""
    if limit < 1:
        return False
    digest = salted_hmac("linernotes.newsletter.rate_limits", value, algorithm="sha256")
    key = f"{kind}:{digest.hexdigest()}"
    now = timezone.now()
    ended = now - timedelta(seconds=WINDOW_SECONDS)
    current = RateLimitCounter.objects.filter(key=key, window_start__gt=ended)
    # Twice at most: the second round follows a process that started the window meanwhile.
    for _ in range(2):
        if current.filter(count__gte=limit).exists():
            return False
        if current.filter(count__lt=limit).update(count=F("count") + 1):
            return True
        # No counter in this window (or another process just took the last place).
        RateLimitCounter.objects.filter(window_start__lte=ended).delete()
        try:
            with transaction.atomic():
                RateLimitCounter.objects.create(key=key, window_start=now, count=1)
        except IntegrityError:
            continue
        return True
    return False


def allow_attempt_from(address: str) -> bool:
    return _allow("ip", address, settings.LINERNOTES_NEWSLETTER_SIGNUPS_PER_IP)


def allow_attempt_for(email: str) -> bool:
    return _allow("email", email, settings.LINERNOTES_NEWSLETTER_SIGNUPS_PER_ADDRESS)
