from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from _pytest.terminal import TerminalReporter
from django.core.cache import cache
from PIL import Image

from tests.seo.validators import CHECKS


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Compiled redirect rules and drawn images live in the cache; no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def png() -> bytes:
    """A 40 by 21 PNG, the shape of a wide hero image."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 21), "#336699").save(buffer, format="PNG")
    return buffer.getvalue()


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if CHECKS:
        summary = ", ".join(f"{kind}: {count}" for kind, count in sorted(CHECKS.items()))
        terminalreporter.write_line(f"seo validations: {sum(CHECKS.values())} ({summary})")
