from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.cache import caches

from linernotes.site import freshness
from linernotes.site.freshness import forget_version


@pytest.fixture(autouse=True)
def media_root(settings: LazySettings, tmp_path: Path) -> Path:
    """Uploaded files of each test go to a directory of their own."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    """Each test starts with empty caches: its database is new, and so is what it may see."""
    for cache in caches.all():
        cache.clear()
    forget_version()


@pytest.fixture
def uncached_pages(settings: LazySettings, monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    """Views render every request, as on a page's first request: for counting their queries.

    The content version is read once up front and then kept (this process's own changes still
    refresh it), so a count never depends on whether a second has passed.
    """
    settings.LINERNOTES_PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(freshness, "CHECK_SECONDS", 3600.0)
    freshness.current_version()
