"""Where the third-party test data lives, and what a test does when it is absent.

The CommonMark spec, the sitemap schemas, the schema.org vocabulary and the seed site's
inventory sit beside the checkout in ``../shared`` (or wherever ``LINERNOTES_SHARED_DIR``
says). Without them a developer's run skips those checks and says so; with ``CI`` set a
missing file fails the run instead, so continuous integration can never pass by quietly
checking less.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(
    os.environ.get("LINERNOTES_SHARED_DIR", "").strip() or REPOSITORY.parent / "shared"
)


def required_under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def shared_file(relative: str) -> Path:
    """``relative`` under the shared data folder; skips (fails under CI) when it is absent."""
    path = SHARED_DIR / relative
    if not path.exists():
        message = (
            f"{path} is not available: put the shared test data at {SHARED_DIR} "
            "or point LINERNOTES_SHARED_DIR at it"
        )
        if required_under_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message, allow_module_level=True)
    return path
