"""Which version of the public content is current, as every process sees it.

A change readers could see (a post, byline, category, alias, author or page saved or deleted,
a post's categories changed) raises ``ContentVersion.number`` inside the transaction that makes
the change, so the new number becomes visible exactly when the change does. A scheduled post
going live changes nothing in the database, so the newest publication time that has come is
part of the version as well.

Reading both is one small indexed query. Each process reads at most once per CHECK_SECONDS,
and at once after a change it made itself: another process may go on serving what it cached
before a change for up to CHECK_SECONDS, never longer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Subquery

from linernotes.content.models import Post
from linernotes.site.models import ContentVersion

CHECK_SECONDS = 1.0


@dataclass
class _Seen:
    version: str | None = None
    read_at: float = 0.0


_seen = _Seen()


def current_version() -> str:
    """The content version, read again when this process last read it CHECK_SECONDS ago."""
    now = time.monotonic()
    if _seen.version is None or now - _seen.read_at >= CHECK_SECONDS:
        _seen.version, _seen.read_at = _read_version(), now
    return _seen.version


def forget_version() -> None:
    """Make the next current_version() read the database."""
    _seen.version = None


def _read_version() -> str:
    newest = Post.objects.published().order_by("-published_at").values("published_at")[:1]
    row = (
        ContentVersion.objects.filter(pk=1)
        .annotate(newest=Subquery(newest))
        .values_list("number", "newest")
        .first()
    )
    number, newest_at = row if row is not None else (0, None)
    return f"{number}-{newest_at.timestamp() if newest_at else 0}"


def content_changed(**kwargs: Any) -> None:
    """Receiver for every change readers could see: raise the version in the same transaction."""
    if not ContentVersion.objects.filter(pk=1).update(number=F("number") + 1):
        ContentVersion.objects.create(pk=1, number=1)
    forget_version()
